import { computeProgress, type ProgressInput } from './progress.js';

const base: ProgressInput = {
  status: 'running',
  phase: 'staging',
  mode: 'commit',
  sizeBytes: 1000,
  bytesRead: 500,
  rowsRead: 100,
  rowsAccepted: 100,
  rowsCommitted: 0,
  startedAt: new Date('2026-11-23T10:00:00Z'),
  phaseStartedAt: new Date('2026-11-23T10:00:00Z'),
  now: new Date('2026-11-23T10:00:10Z'),
};

describe('computeProgress', () => {
  it('weights staging at 40% of the bar', () => {
    const p = computeProgress(base);
    expect(p.percent).toBe(20);
    expect(p.rowsPerSecond).toBe(10);
    expect(p.etaSeconds).toBe(40);
  });
  it('counts merged rows in the commit phase', () => {
    const p = computeProgress({
      ...base,
      phase: 'committing',
      bytesRead: 1000,
      rowsCommitted: 50,
      phaseStartedAt: new Date('2026-11-23T10:00:05Z'),
    });
    expect(p.percent).toBe(70);
    expect(p.rowsPerSecond).toBe(10);
  });
  it('follows the file read when chunks are merged as they are staged, scaled by what is merged of it', () => {
    const p = computeProgress({ ...base, rowsCommitted: 100 });
    expect(p.percent).toBe(50);
    expect(p.etaSeconds).toBe(10);
    expect(computeProgress({ ...base, rowsCommitted: 80 }).percent).toBe(40);
  });
  it('does not fall back to the staging share while the last chunks read are merged', () => {
    const p = computeProgress({ ...base, phase: 'staged', bytesRead: 1000, rowsAccepted: 200, rowsCommitted: 190 });
    expect(p.percent).toBe(95);
    expect(p.etaSeconds).toBe(1);
  });
  it('follows the recent pace once it was seen at least a few seconds ago', () => {
    const seen = (at: string, fraction: number) =>
      computeProgress({ ...base, earlier: { at: new Date(`2026-11-23T10:00:${at}Z`), fraction } }).etaSeconds;
    // 20 % after 10 s; the average since the start says 40 s left.
    expect(seen('07.5', 0.1)).toBe(40); // a window of 2.5 s is too short: the average
    expect(seen('05', 0)).toBe(20); // 20 points in the last 5 s: 0.8 left at 4 points a second
    expect(seen('05', 0.15)).toBe(80); // 5 points in the last 5 s: slower now
    expect(seen('05', 0.2)).toBe(40); // no progress since: the average, not an endless wait
  });
  it('is 100% with no time left once completed', () => {
    expect(computeProgress({ ...base, status: 'completed', phase: 'done' })).toMatchObject({
      percent: 100,
      etaSeconds: 0,
    });
  });
  it('has no estimate before anything was read', () => {
    expect(computeProgress({ ...base, status: 'queued', phase: 'queued', rowsRead: 0, bytesRead: 0 })).toEqual({
      percent: 0,
      rowsPerSecond: 0,
      etaSeconds: null,
    });
  });
});
