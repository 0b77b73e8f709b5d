import { describeImport } from './import-report.js';
import { importViewFixture } from '@ledgerport/api-client';
import type { ImportView } from './import-view.js';

const base: ImportView = importViewFixture({
  id: 'imp-1',
  kind: 'aging',
  status: 'completed',
  phase: 'done',
  fileName: 'aging-generic.csv',
  sizeBytes: 1536,
  location: { id: 'loc-1', name: 'Main Street' },
  format: 'generic',
  mode: 'commit',
  reportDate: '2026-11-23',
  createdBy: { id: 'u1', name: 'Sam Staff' },
  createdAt: '2026-11-23T10:02:03.000Z',
  finishedAt: '2026-11-23T10:02:09.000Z',
  attempts: 1,
  rowsRead: 12,
  rowsAccepted: 9,
  rowsRejected: 3,
  rowsCommitted: 9,
  percent: 100,
  rowsPerSecond: 20,
  etaSeconds: 0,
  cancelRequested: false,
  error: null,
  summary: {
    claimsNew: 9,
    claimsUpdated: 0,
    claimsUnchanged: 0,
    claimsResolved: 1,
    payersCreated: 4,
    rowsRejected: 3,
    duplicateRows: 0,
    balanceCentsInFile: 514525,
    balanceCentsApplied: 514525,
    amountCentsInFile: 514525,
    amountCentsApplied: 514525,
    claimsKeptOpen: 0,
  },
});

describe('describeImport', () => {
  it('reports a completed import with its reconciliation and where to find the rejected rows', () => {
    const text = describeImport(base, { timeZone: 'UTC' });
    expect(text).toContain('Import imp-1');
    expect(text).toContain('status     completed');
    expect(text).toContain('import     Insurance aging, Main Street, format generic');
    expect(text).toContain('file       aging-generic.csv (1.5 KB), report date 11/23/2026');
    expect(text).toContain('payers     4 new payers');
    expect(text).toContain('uploaded   by Sam Staff, 11/23/2026 10:02 AM');
    expect(describeImport(base, { timeZone: 'America/Chicago' })).toContain('uploaded   by Sam Staff, 11/23/2026 4:02 AM');
    expect(text).toContain('claims     9 new, 0 updated, 0 unchanged, 1 resolved');
    expect(text).toContain('balance    $5,145.25 in the file, $5,145.25 applied');
    expect(text).toContain('errors     3 rows rejected: ledgerport errors imp-1');
    expect(describeImport({ ...base, rowsRejected: 1 })).toContain('errors     1 row rejected: ledgerport errors imp-1');
  });

  it('shows live progress while running and the error once failed', () => {
    const running = describeImport({
      ...base,
      status: 'running',
      phase: 'staging',
      percent: 40,
      summary: null,
      rowsRejected: 0,
      etaSeconds: 5,
    });
    expect(running).toContain('progress   reading: 40% · 12 rows read · 20 rows/s · 5 s left');
    const failed = describeImport({
      ...base,
      status: 'failed',
      attempts: 2,
      summary: null,
      rowsRejected: 0,
      error: { code: 'x', message: 'The header has no Balance column.' },
    });
    expect(failed).toContain('status     failed (attempt 2)');
    expect(failed).toContain('error      The header has no Balance column.');
  });

  it('prints the reconciliation: rows and money in the file, applied and not, and the printed total', () => {
    const text = describeImport({
      ...base,
      rowsWarned: 2,
      summary: { ...base.summary!, claimsKeptOpen: 3, balanceCentsApplied: 500000 },
      reconciliation: {
        rowsInFile: 12,
        rowsApplied: 9,
        rowsRejected: 3,
        rowsWarned: 2,
        amountCentsInFile: 514525,
        amountCentsApplied: 500000,
        amountCentsNotApplied: 14525,
        rowsWithUnreadableAmount: 1,
        printedTotalCents: 525678,
        differenceFromPrintedTotalCents: 11153,
        printedSubtotalsMismatched: 1,
        matches: false,
        message: 'The file has 12 rows and $5,145.25; 9 rows and $5,000.00 were applied. 3 rows were rejected.',
      },
      notices: [
        { code: 'printed_total_differs', message: 'The report prints $5,256.78 on line 40 ("Report Totals").' },
      ],
    });
    expect(text).toContain('rows       12 in the file, 9 applied, 3 rejected, 2 with warnings');
    expect(text).toContain('balance    $5,145.25 in the file, $5,000.00 applied, $145.25 not applied');
    expect(text).toContain('unreadable 1 row had an amount that could not be read');
    expect(text).toContain("printed    the report's total is $5,256.78: $111.53 more than the rows");
    expect(text).toContain('kept open  3 open claims on rejected rows were left as they were');
    expect(text).toContain('reconciled NO: The file has 12 rows and $5,145.25; 9 rows and $5,000.00 were applied.');
    expect(text).toContain('notice     The report prints $5,256.78 on line 40 ("Report Totals").');
  });

  it('says plainly when everything adds up, and reports a patients file by records, without money', () => {
    const matching = describeImport({
      ...base,
      rowsRejected: 0,
      reconciliation: {
        rowsInFile: 12,
        rowsApplied: 12,
        rowsRejected: 0,
        rowsWarned: 0,
        amountCentsInFile: 514525,
        amountCentsApplied: 514525,
        amountCentsNotApplied: 0,
        rowsWithUnreadableAmount: 0,
        printedTotalCents: null,
        differenceFromPrintedTotalCents: null,
        printedSubtotalsMismatched: 0,
        matches: true,
        message: 'All 12 rows and $5,145.25 in the file were applied.',
      },
    });
    expect(matching).toContain('reconciled yes: All 12 rows and $5,145.25 in the file were applied.');
    expect(matching).not.toContain('printed');
    const patients = describeImport({
      ...base,
      kind: 'patients',
      location: null,
      summary: { ...base.summary!, rowsNew: 20, rowsUpdated: 1, rowsUnchanged: 0, skippedInactive: 4 },
      reconciliation: {
        rowsInFile: 25,
        rowsApplied: 21,
        rowsRejected: 0,
        rowsWarned: 0,
        amountCentsInFile: null,
        amountCentsApplied: null,
        amountCentsNotApplied: null,
        rowsWithUnreadableAmount: null,
        printedTotalCents: null,
        differenceFromPrintedTotalCents: null,
        printedSubtotalsMismatched: 0,
        matches: false,
        message: 'The file has 25 rows; 21 rows were applied. 4 inactive patients were skipped.',
      },
    });
    expect(patients).toContain('records    20 new, 1 updated, 0 unchanged, 4 inactive skipped');
    expect(patients).not.toMatch(/claims|balance|amount /);
  });

  it('shows a review: what the file would close and why it waits for an administrator', () => {
    const text = describeImport({
      ...base,
      status: 'ready',
      phase: 'staged',
      summary: null,
      rowsRejected: 0,
      finishedAt: null,
      review: {
        reason: 'mass_resolve',
        claimsToResolve: 1290,
        centsToResolve: 15480320,
        openClaims: 1300,
        message: 'This file would mark 1,290 open claims of Main Street ($154,803.20) as resolved.',
      },
    });
    expect(text).toContain(
      'review     waits for an administrator: it would close 1,290 open claims of Main Street ($154,803.20), 99 % of its 1,300',
    );
    expect(text).toContain(
      '\n             This file would mark 1,290 open claims of Main Street ($154,803.20) as resolved.\n',
    );
  });
});
