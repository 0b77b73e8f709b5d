import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureCliBuilt, runCli } from '../support/cli.js';
import { generateAgingCsv } from '../support/generate.js';
import { client, SAMPLES, waitForImport } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// The built `ledgerport` command against a live API and worker, as a scheduler or a person runs it.

let stack: TestStack;
let dir: string;
let asStaff: Record<string, string>;
let asAdmin: Record<string, string>;

const BAD_ROWS = [
  'Claim Number,Patient Account,Patient Name,Date of Birth,Payer,Date of Service,Billed Amount,Balance',
  'X-1,A1,"Doe, Jane",01/02/1960,Aetna,02/30/2026,10.00,abc',
  'X-2,A2,"Roe, Rich",01/02/1961,Aetna,03/03/2026,10.00,5.00',
].join('\r\n');

beforeAll(async () => {
  ensureCliBuilt();
  // One attempt per job: an import the test breaks fails at once and waits for `ledgerport retry`.
  stack = await startTestStack({ env: { JOB_ATTEMPTS: '1', CHUNK_ROWS: '500' } });
  dir = await mkdtemp(path.join(tmpdir(), 'lp-cli-'));
  const base = { LEDGERPORT_API_URL: stack.url, LEDGERPORT_POLL_MS: '100' };
  asStaff = { ...base, LEDGERPORT_TOKEN: stack.staff };
  asAdmin = { ...base, LEDGERPORT_TOKEN: stack.admin };
});

afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

const idIn = (text: string) => /import ([0-9a-f-]{36})/.exec(text)?.[1] ?? '';

describe('ledgerport --help', () => {
  it.each(['upload', 'status', 'errors', 'retry', 'cancel', 'list', 'locations'])('explains %s without needing a server', async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ledgerport ${cmd}`);
    expect(r.stdout).toContain('LEDGERPORT_TOKEN');
  });

  it('lists the commands and exit statuses', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ledgerport upload FILE --kind aging --location NAME_OR_ID \[--wait\]/);
    expect(r.stdout).toMatch(/\n {2}3 +the API could not be reached/);
    expect(r.stdout).toMatch(/\n {2}7 +this exact file was already imported/);
    expect(r.stdout).toMatch(/\n {2}130 +Ctrl-C/);
  });
});

describe('ledgerport without what it needs', () => {
  it('names the variable to set when there is no token, with exit status 2', async () => {
    const r = await runCli(['status', 'abc'], { env: { LEDGERPORT_API_URL: stack.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('LEDGERPORT_TOKEN');
    expect(r.stderr).toContain('Run "ledgerport status --help" for usage.');
  });

  it('says it could not reach the API, with exit status 3', async () => {
    const r = await runCli(['status', 'abc'], {
      env: { LEDGERPORT_API_URL: 'http://127.0.0.1:9', LEDGERPORT_TOKEN: 'x' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Could not reach the Ledgerport API at http:\/\/127\.0\.0\.1:9/);
  });

  it('refuses a file that does not exist, and an empty one, before uploading', async () => {
    const missing = await runCli(['upload', path.join(dir, 'nope.csv'), '--location', 'Main Street'], { env: asStaff });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no file');
    const empty = await runCli(['upload', await file('empty.csv', ''), '--location', 'Main Street'], { env: asStaff });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('empty.csv is empty');
  });

  it('calls a location the practice does not have a wrong command line, and names the ones it has', async () => {
    const r = await runCli(['upload', path.join(SAMPLES, 'aging-generic.csv'), '--location', 'Nowhere'], {
      env: asStaff,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Your practice has no location "Nowhere". Its locations: "Main Street", "Riverside".');
  });

  it('refuses a kind there is no such thing as with exit status 2, before uploading', async () => {
    const r = await runCli(['upload', path.join(SAMPLES, 'aging-generic.csv'), '--kind', 'agin', '--location', 'Main Street'], { env: asStaff });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--kind must be aging or patients or patient_balances or patient_credits, not "agin".');
  });
});

describe('ledgerport upload --wait, not on a terminal (a scheduler)', () => {
  let out: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    out = await runCli(
      [
        'upload',
        path.join(SAMPLES, 'aging-generic.csv'),
        '--kind',
        'aging',
        '--location',
        'Main Street',
        '--format',
        'detect',
        '--wait',
      ],
      { env: asStaff },
    );
  });

  it('exits 0 once the import completed, with its summary on stdout', () => {
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/status {5}completed/);
    expect(out.stdout).toMatch(/claims {5}12 new, 0 updated, 0 unchanged, 0 resolved/);
    expect(out.stdout).toMatch(/balance {4}\$5,145\.25 in the file/);
  });

  it('writes plain progress lines, without carriage returns or terminal codes', () => {
    expect(out.stderr).toMatch(/^Uploaded aging-generic\.csv as import [0-9a-f-]{36}\./);
    expect(out.stderr).not.toMatch(/[\r\x1b]/);
    const lines = out.stderr.trim().split('\n').slice(1);
    // each line stamped with the local time, for a log read the next morning
    expect(lines.at(-1)).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] completed: 100% · 12 rows read$/);
    for (const l of lines) expect(l).toMatch(/^\[[\d :-]{19}\] (waiting|reading|checked|saving|completed): \d+% · /);
  });

  it('refuses the same file again with an exit status of its own, naming the earlier import', async () => {
    const r = await runCli(['upload', path.join(SAMPLES, 'aging-generic.csv'), '--location', 'Main Street', '--wait'], {
      env: asStaff,
    });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(
      /This exact file was already imported for Main Street on \d\d\/\d\d\/\d{4}\. See it with: ledgerport status [0-9a-f-]{36}/,
    );
  });

  it('shows the import with status, as text and as JSON', async () => {
    const id = idIn(out.stderr);
    const text = await runCli(['status', id], { env: asStaff });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Import ${id}`);
    expect(text.stdout).toMatch(/uploaded {3}by Sam Staff/);
    const json = await runCli(['status', id, '--json'], { env: asStaff });
    expect(JSON.parse(json.stdout)).toMatchObject({ id, status: 'completed', rowsRead: 12 });
  });

  it('writes times in the local time zone (TZ), never UTC for everyone', async () => {
    const id = idIn(out.stderr);
    const uploaded = async (TZ: string) => /uploaded {3}by Sam Staff, (.+)$/m.exec((await runCli(['status', id], { env: { ...asStaff, TZ } })).stdout)?.[1];
    const created = new Date((await client(stack.url, stack.staff).get(`/imports/${id}`)).body.createdAt);
    const clock = (timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(created).replace(/\u202f/g, ' ');
    expect(await uploaded('UTC')).toMatch(new RegExp(`${clock('UTC')}$`));
    expect(await uploaded('Asia/Kolkata')).toMatch(new RegExp(`${clock('Asia/Kolkata')}$`));
  });
});

describe('ledgerport upload --wait and Ctrl-C', () => {
  it('stops watching with exit status 130, naming the import, which goes on on the server', async () => {
    // No worker takes it while it is watched: the import is still queued when Ctrl-C comes.
    const worker = stack.worker!.worker;
    await worker.pause(true);
    try {
      const f = await file('interrupted.csv', generateAgingCsv({ rows: 5, startAt: 70_000 }));
      const r = await runCli(['upload', f, '--location', 'Riverside', '--wait'], { env: asStaff, interruptWhen: (err) => /Watching it/.test(err) });
      expect(r.code).toBe(130);
      const id = idIn(r.stderr);
      expect(r.stderr).toContain(`Stopped watching. Import ${id} goes on on the server (${stack.url}/imports/${id}): ledgerport status ${id} --wait`);
      expect(r.stderr).not.toMatch(/status ID\b/);
      void worker.resume();
      // completed, or a review if it would close most of Riverside's claims: either way it went on
      expect(['completed', 'ready']).toContain((await waitForImport(stack.url, stack.staff, id)).status);
    } finally {
      void worker.resume();
    }
  });
});

describe('ledgerport upload --wait on a terminal', () => {
  it('draws a progress bar in place and exits 0 on completed', async () => {
    const big = await file('riverside-big.csv', generateAgingCsv({ rows: 3000 }));
    const r = await runCli(['upload', big, '--location', 'Riverside', '--wait'], { env: asStaff, tty: true });
    expect(r.code).toBe(0);
    // The bar redraws one line: carriage return, the bar, erase to the end of the line.
    expect(r.stdout).toMatch(/\r(reading|saving|waiting|checked|completed) +\[[█░]+\] +\d+(\.\d)?% /);
    expect(r.stdout).toContain('\x1b[K');
    expect(r.stdout).toMatch(/\rcompleted +\[█+\] +100% {2}3,000 rows read\x1b\[K/);
    expect(r.stdout).toMatch(/claims {5}3,000 new/);
  });
});

describe('ledgerport errors', () => {
  let id: string;
  beforeAll(async () => {
    const up = await runCli(['upload', await file('bad-rows.csv', BAD_ROWS), '--location', 'Main Street'], {
      env: asStaff,
    });
    expect(up.code).toBe(0);
    id = idIn(up.stdout);
    const waited = await runCli(['status', id, '--wait'], { env: asStaff });
    // Main Street has open claims this file does not list, and one of its rows is unreadable: it
    // waits for an administrator (exit 4) rather than closing them.
    expect(waited.code).toBe(4);
    expect(waited.stdout).toMatch(/errors {5}1 row rejected: ledgerport errors/);
  });

  it('lists the rejected rows as a table, errors apart from warnings', async () => {
    const r = await runCli(['errors', id], { env: asStaff });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Row +Kind +Column +Value +Message/);
    expect(r.stdout).toMatch(/\n2 +error +Date of Service +02\/30\/2026 +.*not a real date/);
    expect(r.stdout).toMatch(/\n2 +error +Balance +abc +.*not an amount of money/);
    expect(r.stdout).toContain('1–2 of 2. 2 row errors (rows not applied), 0 warnings (rows applied).');
    const grouped = await runCli(['errors', id, '--group', '--json'], { env: asStaff });
    expect(grouped.code).toBe(0);
    expect(JSON.parse(grouped.stdout)).toMatchObject({ total: 2, counts: { errors: 2, warnings: 0 } });
    const warnings = await runCli(['errors', id, '--warnings'], { env: asStaff });
    expect(warnings.stdout).toContain(`Import ${id} has no row warnings.`);
  });

  it('writes them as CSV with --csv > errors.csv', async () => {
    const target = path.join(dir, 'errors.csv');
    const r = await runCli(['errors', id, '--csv'], { env: asStaff, shellSuffix: `> '${target}'` });
    expect(r.code).toBe(0);
    const csv = (await readFile(target, 'utf8')).replace(/^\ufeff/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^Row,Column,Value,Message\b/);
    expect(lines).toHaveLength(3);
    expect(csv).toContain('2,Balance,abc,');
  });

  it('says so when an import has no such id', async () => {
    const r = await runCli(['errors', '00000000-0000-4000-8000-000000000000'], { env: asStaff });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('There is no such import in your practice.');
  });
});

describe('ledgerport with an import that fails', () => {
  it('exits 1 with the reason when the file cannot be read', async () => {
    const r = await runCli(
      ['upload', await file('no-header.csv', 'hello,world\n1,2\n'), '--location', 'Main Street', '--wait'],
      { env: asStaff },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/status {5}failed/);
    expect(r.stderr).toMatch(/Import [0-9a-f-]{36} failed: .+/);
  });

  it('retries a failed import for an admin only, and --wait follows it to completed', async () => {
    const pool = stack.db.handle.pool;
    await pool.query(
      `create function lp_cli_refuse() returns trigger language plpgsql as $$ begin raise exception 'claims are locked by the test'; end $$`,
    );
    await pool.query(
      `create trigger lp_cli_refuse before insert on claims for each row execute function lp_cli_refuse()`,
    );
    const up = await client(stack.url, stack.staff).upload(
      generateAgingCsv({ rows: 25, startAt: 7000 }),
      { kind: 'aging', locationId: 'Main Street' },
      'nightly.csv',
    );
    expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('failed');
    await pool.query('drop trigger lp_cli_refuse on claims');
    await pool.query('drop function lp_cli_refuse()');

    const denied = await runCli(['retry', up.body.id], { env: asStaff });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('Only a practice administrator can do that.');

    const r = await runCli(['retry', up.body.id, '--wait'], { env: asAdmin });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Import ${up.body.id} is queued again`);
    expect(r.stdout).toMatch(/status {5}completed \(attempt 2\)/);
    expect(r.stdout).toMatch(/claims {5}25 new/);
  });
});

describe('ledgerport and the money rules', () => {
  const newLocation = async (name: string) =>
    (
      await stack.db.handle.pool.query<{ id: string }>(
        'insert into locations (practice_id, name) values ($1, $2) returning id',
        [stack.seed.practice.id, name],
      )
    ).rows[0]!.id;

  it('exits 4 when a file waits for an administrator, says where to review it, and applies nothing', async () => {
    const loc = await newLocation('Cedar Park');
    const monday = await runCli(
      ['upload', await file('cedar-monday.csv', generateAgingCsv({ rows: 120 })), '--location', 'Cedar Park', '--wait'],
      { env: asStaff },
    );
    expect(monday.code).toBe(0);
    expect(monday.stdout).toMatch(/reconciled yes: All 120 rows and \$[\d,.]+ in the file were applied\./);

    // Five rows of a location with 120 open claims: a report cut short would close 115 of them.
    const r = await runCli(
      [
        'upload',
        await file('cedar-cut-short.csv', generateAgingCsv({ rows: 5 })),
        '--location',
        'Cedar Park',
        '--wait',
      ],
      { env: asStaff },
    );
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/status {5}ready/);
    expect(r.stdout).toMatch(
      /review {5}waits for an administrator: it would close 115 open claims of Cedar Park \(\$[\d,]+\.\d\d\), 96 % of its 120/,
    );
    const id = idIn(r.stderr);
    expect(r.stderr).toContain(`Import ${id} waits for an administrator: nothing of it is applied yet.`);
    expect(r.stderr).toContain(
      `An administrator must review it and save or discard it at ${stack.url}/#/imports/${id}`,
    );
    const open = await stack.db.handle.pool.query<{ n: number }>(
      'select count(*)::int n from claims where location_id = $1 and resolved_at is null',
      [loc],
    );
    expect(open.rows[0]!.n).toBe(120);
  });

  it('exits 5 when an import completed but did not apply everything in the file', async () => {
    await newLocation('Spruce Hill');
    const r = await runCli(['upload', await file('spruce.csv', BAD_ROWS), '--location', 'Spruce Hill', '--wait'], {
      env: asStaff,
    });
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/status {5}completed/);
    expect(r.stdout).toMatch(/rows {7}2 in the file, 1 applied, 1 rejected, 0 with warnings/);
    expect(r.stdout).toMatch(/balance {4}\$5\.00 in the file, \$5\.00 applied, \$0\.00 not applied/);
    expect(r.stdout).toMatch(/unreadable 1 row had an amount that could not be read/);
    expect(r.stdout).toMatch(/reconciled NO: /);
    expect(r.stderr).toMatch(/Import [0-9a-f-]{36} completed, but not everything in the file was applied: /);
  });

  it('sends --date-order with the file', async () => {
    await newLocation('Willow Bend');
    const text = [
      'Claim Number,Patient Account,Patient Name,Date of Birth,Payer,Date of Service,Billed Amount,Balance',
      'E-1,A1,"Pat, One",01/02/1970,Aetna,02/09/2026,10.00,10.00',
    ].join('\n');
    const r = await runCli(
      [
        'upload',
        await file('willow.csv', text),
        '--location',
        'Willow Bend',
        '--date-order',
        'DMY',
        '--wait',
        '--json',
      ],
      { env: asStaff },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed', dateOrder: 'DMY', notices: [] });
  });
});

describe('ledgerport for the other kinds', () => {
  it('stops a preview at ready, exits 0 and says where to press Save', async () => {
    const r = await runCli(
      ['upload', path.join(SAMPLES, 'patients-cashpractice.csv'), '--kind', 'patients', '--mode', 'preview', '--wait'],
      { env: asStaff },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/status {5}ready/);
    expect(r.stderr).toMatch(
      new RegExp(`review it and press Save at ${stack.url.replace(/[.]/g, '\\.')}/#/imports/[0-9a-f-]{36}`),
    );
  });

  it('lists the locations --location accepts', async () => {
    const r = await runCli(['locations'], { env: asStaff });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name +Id +Last report\n/);
    expect(r.stdout).toMatch(/\nMain Street +[0-9a-f-]{36} +\d\d\/\d\d\/\d{4}/);
    expect(r.stdout).toMatch(/\nRiverside +[0-9a-f-]{36}/);
    const json = await runCli(['locations', '--json'], { env: asStaff });
    expect(JSON.parse(json.stdout).items.map((l: any) => l.name)).toEqual(expect.arrayContaining(['Main Street', 'Riverside']));
  });

  it('lists imports, filtered, as a table and as JSON', async () => {
    const r = await runCli(['list', '--status', 'completed', '--kind', 'aging', '--limit', '3'], { env: asStaff });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Id +File +Kind +Location +Status +Uploaded +By\n/);
    expect(r.stdout).toMatch(/\n[0-9a-f-]{36} +\S.* +Insurance aging +\S.* +completed +\d\d\/\d\d\/\d{4} \d{1,2}:\d\d [AP]M +Sam Staff/);
    const json = await runCli(['list', '--status', 'failed', '--json'], { env: asStaff });
    expect(JSON.parse(json.stdout).items.every((v: any) => v.status === 'failed')).toBe(true);
    const wrong = await runCli(['list', '--status', 'done'], { env: asStaff });
    expect(wrong.code).toBe(2);
  });

  it('cancels a preview for an administrator', async () => {
    const up = await runCli(['upload', path.join(SAMPLES, 'patients-cashpractice.csv'), '--kind', 'patients', '--mode', 'preview', '--wait'], { env: asStaff });
    expect(up.code).toBe(0);
    const id = idIn(up.stderr);
    const denied = await runCli(['cancel', id], { env: asStaff });
    expect(denied.code).toBe(1);
    const r = await runCli(['cancel', id, '--json'], { env: asAdmin });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id, status: 'cancelled' });
    // The uploader is told, with the way back to the import.
    const notes = (await client(stack.url, stack.staff).get('/notifications')).body.items;
    expect(notes).toContainEqual(
      expect.objectContaining({ kind: 'import_cancelled', link: `/imports/${id}`, message: expect.stringMatching(/^patients-cashpractice\.csv was (cancelled|discarded) by /) }),
    );
  });
});
