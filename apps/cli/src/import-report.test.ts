import { describeImport } from './import-report.js';
import type { ImportView } from './import-view.js';

const base: ImportView = {
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
  },
};

describe('describeImport', () => {
  it('reports a completed import with its reconciliation and where to find the rejected rows', () => {
    const text = describeImport(base);
    expect(text).toContain('Import imp-1');
    expect(text).toContain('status     completed');
    expect(text).toContain('import     aging, Main Street, format generic');
    expect(text).toContain('uploaded   by Sam Staff, 2026-11-23 10:02 UTC');
    expect(text).toContain('claims     9 new, 0 updated, 0 unchanged, 1 resolved');
    expect(text).toContain('balance    $5,145.25 in the file, $5,145.25 applied');
    expect(text).toContain('errors     3 rows rejected: ledgerport errors imp-1');
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
});
