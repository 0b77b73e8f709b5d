import type { Context } from './context.js';
import { EXIT } from './context.js';
import type { ImportView } from './import-view.js';
import { runCli } from './run.js';

// `status ID --wait` (and upload/retry --wait) turn where an import ended up into the exit status a
// nightly cron acts on: a file held for an administrator and one that did not add up are not "0".

const view = (over: Partial<ImportView>): ImportView => ({
  id: 'imp-1',
  kind: 'aging',
  status: 'completed',
  phase: 'done',
  fileName: 'nightly.csv',
  sizeBytes: 100,
  location: { id: 'l1', name: 'Main Street' },
  format: 'generic',
  mode: 'commit',
  reportDate: '2026-11-23',
  createdBy: { id: 'u1', name: 'Sam Staff' },
  createdAt: '2026-11-23T10:00:00.000Z',
  finishedAt: '2026-11-23T10:01:00.000Z',
  attempts: 1,
  rowsRead: 5,
  rowsAccepted: 5,
  rowsRejected: 0,
  rowsCommitted: 5,
  percent: 100,
  rowsPerSecond: 0,
  etaSeconds: null,
  cancelRequested: false,
  error: null,
  summary: null,
  ...over,
});

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
