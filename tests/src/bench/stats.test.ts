import type { Poll } from './api-client.js';
import { etaChecks, expectedNextNightSummary, expectedReimportSummary, longestStall, percentile, summaryDifferences } from './stats.js';

const poll = (
  atMs: number,
  phase: string,
  rowsRead: number,
  rowsCommitted: number,
  extra: Partial<Poll['view']> = {},
): Poll => ({
  atMs,
  latencyMs: 1,
  view: {
    id: 'x',
    status: 'running',
    phase,
    percent: 0,
    rowsRead,
    rowsCommitted,
    rowsRejected: 0,
    etaSeconds: null,
    error: null,
    summary: null,
    ...extra,
  },
});

describe('benchmark arithmetic', () => {
  it('takes the nearest-rank percentile', () => {
    expect(percentile([], 95)).toBeNull();
    expect(percentile([5], 95)).toBe(5);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(19);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => 100 - i),
        95,
      ),
    ).toBe(95);
  });

  it('measures the longest stall between polls that saw different progress, completion included', () => {
    const polls = [
      poll(0, 'queued', 0, 0, { status: 'queued' }),
      poll(1000, 'staging', 0, 0),
      poll(1200, 'staging', 5000, 0),
      poll(1400, 'staging', 5000, 0),
      poll(2600, 'committing', 5000, 5000, { percent: 60 }),
      poll(2800, 'committing', 5000, 5000, { percent: 60 }),
      poll(5800, 'done', 5000, 5000, { status: 'completed', percent: 100 }),
    ];
    expect(longestStall(polls)).toEqual({ seconds: 3.2, phase: 'committing', percent: 60 });
    expect(longestStall([poll(0, 'queued', 0, 0, { status: 'queued' })])).toBeNull();
  });

  it('counts claims resolved while the snapshot closes as progress', () => {
    const polls = [
      poll(0, 'staging', 5000, 5000),
      poll(1500, 'committing', 10000, 10000, { claimsResolved: 0 }),
      poll(3000, 'committing', 10000, 10000, { claimsResolved: 5000 }),
      poll(4500, 'committing', 10000, 10000, { claimsResolved: 10000 }),
      poll(5000, 'done', 10000, 10000, { status: 'completed', percent: 100, claimsResolved: 10000 }),
    ];
    expect(longestStall(polls)?.seconds).toBe(1.5);
  });

  it('counts the claims compared with the file while the snapshot closes as progress', () => {
    const polls = [
      poll(0, 'committing', 10000, 10000),
      poll(1000, 'committing', 10000, 10000, { claimsChecked: 4000 }),
      poll(2000, 'committing', 10000, 10000, { claimsChecked: 8000 }),
      poll(3000, 'committing', 10000, 10000, { claimsChecked: 10000 }),
      poll(3500, 'done', 10000, 10000, { status: 'completed', percent: 100, claimsChecked: 10000 }),
    ];
    expect(longestStall(polls)?.seconds).toBe(1);
  });

  it('compares the ETA at 10, 25 and 50 % with the time that was really left', () => {
    const polls = [
      poll(0, 'staging', 1, 0, { percent: 5, etaSeconds: 100 }),
      poll(1000, 'staging', 2, 0, { percent: 12, etaSeconds: 9 }),
      poll(2000, 'committing', 3, 1, { percent: 55, etaSeconds: null }),
    ];
    const checks = etaChecks(polls, 11_000);
    expect(checks[0]).toMatchObject({ at: 10, percent: 12, etaSeconds: 9, actualSeconds: 10 });
    expect(checks[0]?.error).toBeCloseTo(0.1);
    expect(checks[1]).toMatchObject({ at: 25, percent: 55, error: null });
    expect(checks[2]).toMatchObject({ at: 50, percent: 55, error: null });
    expect(etaChecks([], 1)).toEqual(
      [10, 25, 50].map((at) => ({ at, percent: null, etaSeconds: null, actualSeconds: null, error: null })),
    );
  });

  it('knows the exact summary of the re-import file', () => {
    // rows 1..40: 10, 30 changed; 20, 40 dropped; 36 unchanged.
    expect(expectedReimportSummary(40)).toEqual({
      claimsNew: 0,
      claimsUpdated: 2,
      claimsUnchanged: 36,
      claimsResolved: 2,
    });
    expect(expectedReimportSummary(1_000_000)).toEqual({
      claimsNew: 0,
      claimsUpdated: 50_000,
      claimsUnchanged: 900_000,
      claimsResolved: 50_000,
    });
    expect(
      summaryDifferences(
        { claimsNew: 0, claimsUpdated: 3, claimsUnchanged: 36, claimsResolved: 2 },
        expectedReimportSummary(40),
      ),
    ).toEqual(['claimsUpdated 3 (expected 2)']);
    expect(summaryDifferences(null, expectedReimportSummary(40))).toEqual(['no summary']);
  });
  it("counts the next night's file against the night before: resolved if it was open, reopened or changed as updated", () => {
    // rows 1..40 after every 10th changed and every 20th gone, then every 11th changed and every 19th
    // gone: 19 and 38 resolved; 20 and 40 reopened; 10 and 30 back to their first balance; 11, 22 and 33 changed
    expect(expectedNextNightSummary(40, { changeEvery: 10, dropEvery: 20 }, { changeEvery: 11, dropEvery: 19 })).toEqual({
      claimsNew: 0,
      claimsUpdated: 7,
      claimsUnchanged: 31,
      claimsResolved: 2,
    });
    // after a first file that changed and dropped nothing, it is the re-import's count
    const none = { changeEvery: Infinity, dropEvery: Infinity };
    expect(expectedNextNightSummary(1_000_000, none, { changeEvery: 10, dropEvery: 20 })).toEqual(expectedReimportSummary(1_000_000));
  });
});
