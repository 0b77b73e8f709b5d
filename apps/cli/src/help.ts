// What `--help` prints: one screen per command, with the example a scheduler needs.

const CONNECTION = `Connection (every command):
  --api-url URL     the Ledgerport API, e.g. https://ledgerport.example.com (or LEDGERPORT_API_URL)
  --token TOKEN     your API token (or LEDGERPORT_TOKEN; prefer the variable: flags show up in ps)`;

const EXIT = `Exit status:
  0    done (completed and everything in the file applied, or a preview ready for review)
  1    the import failed or was cancelled, or the API refused the request
  2    the command line is wrong (unknown option or kind, a location your practice does not have,
       missing token, no such file)
  3    the API could not be reached (nothing was uploaded)
  4    the import waits for an administrator: it would close many of the location's open claims,
       or has unreadable rows and would close some; nothing is applied until an administrator
       saves it on the web page (the address is printed on stderr)
  5    completed, but not everything in the file was applied: rows were rejected, amounts could
       not be read, or the report's printed total differs from its rows (see "reconciled")
  6    uploaded, but the API stopped answering while --wait watched it, for longer than
       LEDGERPORT_WAIT_OUTAGE_S seconds (default 600; polls back off up to every 30 s meanwhile);
       the import goes on on the server: its id and address are printed on stderr
  7    this exact file was already imported: nothing was uploaded again (the earlier import's
       id is printed on stderr)
  130  Ctrl-C: watching stopped; an uploaded import goes on on the server (its id is printed)`;

export const HELP = {
  main: `ledgerport — upload billing files to Ledgerport and watch them import

Usage:
  ledgerport upload FILE --kind aging --location NAME_OR_ID [--wait]
  ledgerport upload FILE --kind patients|patient_balances|patient_credits [--wait]
  ledgerport status ID [--wait]
  ledgerport list [--status failed] [--kind aging] [--location NAME]
  ledgerport errors ID [--group] [--warnings | --errors-only] [--csv]
  ledgerport retry ID [--wait]
  ledgerport cancel ID
  ledgerport locations

Every command takes --json: what it shows, as JSON on stdout.

Run "ledgerport COMMAND --help" for a command's options.

${CONNECTION}

${EXIT}
`,
  upload: `ledgerport upload FILE [--kind KIND] [--location NAME_OR_ID] [options]

Uploads FILE. Without --wait it prints the import's id and returns at once; the import goes on
in the background.

Options:
  --kind KIND            what the file holds: aging (insurance aging, the default), patients,
                         patient_balances, patient_credits
  --location NAME_OR_ID  the location an aging file is for: its name (e.g. "Main Street") or id
  --format ID            aging: the PM system that exported the file (generic, compulink,
                         crystalpm, officemate, openemr, revolutionehr, eyefinity), or detect
                         (default)
  --date-order ORDER     how the file's dates read, MDY (month first, 03/04/2026 is
                         March 4), DMY (day first) or YMD. Without it the order is decided from
                         the file's own dates, and an order it had to assume is reported
  --mode MODE            commit (apply the file) or preview (stop for review; press Save on
                         the web page). The default is the kind's: commit for aging, preview
                         for the patient kinds
  --include-inactive     patients: import inactive patients too (skipped by default)
  --on-invalid POLICY    skip (default: apply the good rows, list the bad ones) or block (apply
                         nothing if any row is bad)
  --wait                 watch the import until it finishes: a progress bar on a terminal,
                         plain progress lines, each with the local time, in a log. It rides out
                         an API that stops answering (see exit status 6); Ctrl-C stops
                         watching, not the import
  --json                 print the import as JSON on stdout instead of a report
  -h, --help             this text

Example (nightly, one location):
  LEDGERPORT_API_URL=https://… LEDGERPORT_TOKEN=… \\
    ledgerport upload /exports/aging-main.csv --kind aging --location "Main Street" --wait

${CONNECTION}

${EXIT}
`,
  status: `ledgerport status ID [--wait] [--json]

Shows one import: status, progress, who uploaded it, and once finished its summary and its
reconciliation (rows and money in the file, applied and not, against the report's printed total).
Without --wait it exits 0 whenever it could show the import.

Options:
  --wait      watch it until it finishes (exit status as for upload --wait: 0, 1, 4 or 5)
  --json      print the import as JSON
  -h, --help  this text

${CONNECTION}
`,
  errors: `ledgerport errors ID [--group] [--warnings | --errors-only] [--csv | --json]

Lists an import's row errors (rows it rejected) and warnings (rows it applied, worth a look): row
number, column, value and what is wrong.

Options:
  --group          one line per message, with how many rows have it and the first of them
  --warnings       only the warnings
  --errors-only    only the errors (rejected rows)
  --csv            write them all as CSV to stdout (ledgerport errors ID --csv > errors.csv)
  --json           print the page (or the groups) as JSON
  --page N         which page of the table to show (default 1)
  --page-size N    rows per page, 1–500 (default 50)
  -h, --help       this text

${CONNECTION}
`,
  retry: `ledgerport retry ID [--wait] [--json]

Puts a failed import back in the queue; it resumes where it stopped. Needs an administrator's token.

Options:
  --wait      watch it until it finishes (exit status as for upload --wait)
  --json      print the import as JSON
  -h, --help  this text

${CONNECTION}
`,
  cancel: `ledgerport cancel ID [--json]

Cancels an import that is queued, running or waiting for review: nothing of it stays applied (rows
it already saved are undone). Needs an administrator's token.

Options:
  --json      print the import as JSON
  -h, --help  this text

${CONNECTION}
`,
  list: `ledgerport list [--status S,S] [--kind K,K] [--location NAME_OR_ID] [--limit N] [--json]

Lists your practice's imports, newest first: id, file, kind, location, status, when and by whom.

Options:
  --status S,S          queued, running, ready, completed, failed, cancelled, reverted
  --kind K,K            aging, patients, patient_balances, patient_credits
  --location NAME_OR_ID only this location's imports
  --limit N             how many, 1–500 (default 20)
  --json                print them as JSON
  -h, --help            this text

${CONNECTION}
`,
  locations: `ledgerport locations [--json]

Lists your practice's locations: the names and ids --location accepts, and each one's last report date.

Options:
  --json      print them as JSON
  -h, --help  this text

${CONNECTION}
`,
} as const;

export type HelpTopic = keyof typeof HELP;
