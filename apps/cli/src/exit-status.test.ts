import type { Context } from './context.js';
import { EXIT } from './context.js';
import { importViewFixture } from '@ledgerport/api-client';
import type { ImportView } from './import-view.js';
import { runCli } from './run.js';

// `status ID --wait` (and upload/retry --wait) turn where an import ended up into the exit status a
// nightly cron acts on: a file held for an administrator and one that did not add up are not "0".

const view = (over: Partial<ImportView>): ImportView => importViewFixture({ fileName: 'nightly.csv', ...over });

const reconciliation = (matches: boolean) => ({
  rowsInFile: 5,
  rowsApplied: matches ? 5 : 4,
  rowsRejected: matches ? 0 : 1,
  rowsWarned: 0,
  amountCentsInFile: 10000,
  amountCentsApplied: matches ? 10000 : 8000,
  amountCentsNotApplied: matches ? 0 : 2000,
  rowsWithUnreadableAmount: 0,
  printedTotalCents: null,
  differenceFromPrintedTotalCents: null,
  printedSubtotalsMismatched: 0,
  matches,
  message: matches
    ? 'All 5 rows and $100.00 in the file were applied.'
    : 'The file has 5 rows and $100.00; 4 rows and $80.00 were applied. 1 row was rejected (see the errors); $20.00 was not applied.',
});

async function statusWait(v: ImportView) {
  let stdout = '';
  let stderr = '';
  const ctx: Context = {
    stdout: { write: (c) => ((stdout += String(c)), true) },
    stderr: { write: (c) => ((stderr += String(c)), true) },
    env: { LEDGERPORT_API_URL: 'http://lp.example', LEDGERPORT_TOKEN: 't', LEDGERPORT_PROGRESS: 'lines' },
    sleep: () => Promise.resolve(),
    fetch: () =>
      Promise.resolve(
        new Response(JSON.stringify(v), { status: 200, headers: { 'content-type': 'application/json' } }),
      ),
  };
  const code = await runCli(['status', v.id, '--wait'], ctx);
  return { code, stdout, stderr };
}

describe('the exit status of a watched import', () => {
  it('is 4 for a file waiting for an administrator, and says where to review it', async () => {
    const r = await statusWait(
      view({
        status: 'ready',
        phase: 'staged',
        finishedAt: null,
        review: {
          reason: 'mass_resolve',
          claimsToResolve: 115,
          centsToResolve: 1234567,
          openClaims: 120,
          message: 'This file would mark 115 open claims of Main Street ($12,345.67) as resolved.',
        },
      }),
    );
    expect(r.code).toBe(EXIT.review);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Import imp-1 waits for an administrator: nothing of it is applied yet.');
    expect(r.stderr).toContain(
      'An administrator must review it and save or discard it at http://lp.example/#/imports/imp-1',
    );
    expect(r.stdout).toMatch(/review {5}waits for an administrator: it would close 115 open claims/);
  });

  it('is 5 for a completed import that did not apply everything in the file', async () => {
    const r = await statusWait(view({ rowsRejected: 1, reconciliation: reconciliation(false) }));
    expect(r.code).toBe(EXIT.notAllApplied);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(
      'Import imp-1 completed, but not everything in the file was applied: The file has 5 rows',
    );
    expect(r.stderr).toContain('The rejected rows: ledgerport errors imp-1');
  });

  it('is 0 for a completed import that adds up, and for an ordinary preview', async () => {
    expect((await statusWait(view({ reconciliation: reconciliation(true) }))).code).toBe(0);
    const preview = await statusWait(view({ status: 'ready', kind: 'patients', review: null }));
    expect(preview.code).toBe(0);
    expect(preview.stderr).toContain(
      'The preview is ready: review it and press Save at http://lp.example/#/imports/imp-1',
    );
  });

  it('is 1 for a failed import', async () => {
    const r = await statusWait(
      view({ status: 'failed', error: { code: 'broken_file', message: 'Line 4 is broken.' } }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Import imp-1 failed: Line 4 is broken.');
  });
});

describe('exit statuses of their own', () => {
  const run = async (argv: string[], respond: (url: string) => Response) => {
    let stderr = '';
    let stdout = '';
    let t = 0;
    const ctx: Context = {
      stdout: { write: (c) => ((stdout += String(c)), true) },
      stderr: { write: (c) => ((stderr += String(c)), true) },
      env: { LEDGERPORT_API_URL: 'http://lp.example', LEDGERPORT_TOKEN: 't', LEDGERPORT_PROGRESS: 'lines', LEDGERPORT_WAIT_OUTAGE_S: '60' },
      sleep: (ms) => ((t += ms), Promise.resolve()),
      now: () => new Date(t),
      fetch: (input) => Promise.resolve(respond(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)),
    };
    return { code: await runCli(argv, ctx), stderr: () => stderr, stdout: () => stdout };
  };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

  it('is 6 when the API stops answering for longer than the limit while watching, naming the import', async () => {
    let polls = 0;
    const r = await run(['status', 'imp-1', '--wait'], () =>
      ++polls === 1 ? json(200, view({ status: 'running', phase: 'staging', percent: 10 })) : json(502, 'down'),
    );
    expect(r.code).toBe(EXIT.watchLost);
    expect(r.code).toBe(6);
    // stamped like the progress lines of a log, so the morning reader sees when the API went away
    expect(r.stderr()).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] The API does not answer \(The server answered 502\.\)\. Import imp-1 goes on on the server/m);
    expect(r.stderr()).toContain('It was running when last seen. The import goes on on the server.');
    expect(r.stderr()).toContain('Import imp-1: http://lp.example/imports/imp-1');
    expect(r.stderr()).toContain('ledgerport status imp-1 --wait');
  });

  it('is 2 for a kind there is no such thing as, before anything is sent', async () => {
    const r = await run(['upload', 'a.csv', '--kind', 'agign', '--location', 'X'], () => {
      throw new Error('nothing may be sent');
    });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr()).toContain('--kind must be aging or patients or patient_balances or patient_credits, not "agign".');
  });
});
