import { computeProgress, progressFraction, type ProgressInput } from './progress.js';

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
  now: new Date('2026-11-23T10:00:20Z'),
};

describe('computeProgress', () => {
  it('shows the rows read of a total estimated from the bytes, and a percentage that follows them', () => {
    const p = computeProgress(base);
    expect(p).toMatchObject({ percent: 50, rowsTotal: 200, rowsTotalEstimated: true, rowsPerSecond: 5 });
    // reading is 40 % of the rows' work and the rows 82 % of the import (the snapshot's close is the
    // rest): 16.4 % done after 20 s, 102 s left
    expect(p.etaSeconds).toBe(102);
    expect(computeProgress({ ...base, phase: 'staged', bytesRead: 1000, rowsRead: 210 })).toMatchObject({
      percent: 100,
      rowsTotal: 210,
      rowsTotalEstimated: false,
    });
  });
  it('counts merged rows of the accepted ones while saving', () => {
    const p = computeProgress({
      ...base,
      phase: 'committing',
      bytesRead: 1000,
      rowsCommitted: 50,
      phaseStartedAt: new Date('2026-11-23T10:00:15Z'),
    });
    expect(p).toMatchObject({ percent: 50, rowsTotal: 100, rowsTotalEstimated: false, rowsPerSecond: 10 });
  });
  it('shows no rate over a second or two, nor while closing a file whose rows are all saved', () => {
    const justStarted = { ...base, phaseStartedAt: new Date('2026-11-23T10:00:19Z') };
    expect(computeProgress(justStarted).rowsPerSecond).toBe(0);
    const closing = { ...base, phase: 'committing', bytesRead: 1000, rowsCommitted: 100, phaseStartedAt: new Date('2026-11-23T10:00:17Z') };
    expect(computeProgress(closing).rowsPerSecond).toBe(0);
    expect(computeProgress({ ...closing, rowsCommitted: 40 }).rowsPerSecond).toBe(13);
  });
  it('follows what is applied of the file when chunks are merged as they are read', () => {
    const p = computeProgress({ ...base, rowsCommitted: 100 });
    expect(p.percent).toBe(50);
    expect(p.etaSeconds).toBe(29); // 41 % of the import in 20 s
    expect(computeProgress({ ...base, rowsCommitted: 80 }).percent).toBe(40);
    const last = computeProgress({ ...base, phase: 'staged', bytesRead: 1000, rowsRead: 200, rowsAccepted: 200, rowsCommitted: 190 });
    expect(last.percent).toBe(95);
    // every row read and 95 % merged is 77.9 %: the close is still to come
    expect(last.etaSeconds).toBe(6);
  });
  it('keeps less of the import for the close when the rows merged so far were new claims, and none when nothing can be closed', () => {
    const applied = { ...base, rowsCommitted: 100 };
    // 41 % of the import in 20 s, with 18 % kept for the close
    expect(computeProgress(applied).etaSeconds).toBe(29);
    expect(computeProgress({ ...applied, counters: { claimsUpdated: 10, claimsUnchanged: 90 } }).etaSeconds).toBe(29);
    // a location's first file: a quarter of that share, 47.75 % done
    expect(computeProgress({ ...applied, counters: { claimsNew: 100 } }).etaSeconds).toBe(22);
    // half of them new: half the share, 45.5 % done
    expect(computeProgress({ ...applied, counters: { claimsNew: 50, claimsUnchanged: 50 } }).etaSeconds).toBe(24);
    // and nothing once the import knows the location had no open claims to close: 50 % done
    expect(computeProgress({ ...applied, counters: { claimsNew: 100, locationHadOpenClaims: 0 } }).etaSeconds).toBe(20);
    expect(computeProgress({ ...applied, counters: { claimsNew: 100, locationHadOpenClaims: 1 } }).etaSeconds).toBe(22);
  });
  it("expects the close to take as long as the location's last one, against the rows' own seconds so far", () => {
    // half the rows read and merged in 20 s: the rows take 40 s; the last close took 10 s, so 50 s in all
    const applied = { ...base, rowsCommitted: 100, counters: { claimsUnchanged: 100, lastCloseSeconds: 10 } };
    expect(progressFraction(applied)).toBeCloseTo(0.4);
    expect(computeProgress(applied).etaSeconds).toBe(30);
    // a close of 40 s: 60 s left; none at all: the rows' 20 s
    expect(computeProgress({ ...applied, counters: { lastCloseSeconds: 40 } }).etaSeconds).toBe(60);
    expect(computeProgress({ ...applied, counters: { lastCloseSeconds: 0 } }).etaSeconds).toBe(20);
    // nothing to close, whatever the last close took
    expect(computeProgress({ ...applied, counters: { locationHadOpenClaims: 0, lastCloseSeconds: 10 } }).etaSeconds).toBe(20);
    // the rows keep a tenth of the bar however long it was: 5 % done
    expect(computeProgress({ ...applied, counters: { lastCloseSeconds: 1000 } }).etaSeconds).toBe(380);
    // at a steady pace the fraction grows in step with time, so the recent pace says the same
    const tenSecondsIn = { ...applied, bytesRead: 250, rowsRead: 50, rowsAccepted: 50, rowsCommitted: 50, now: new Date('2026-11-23T10:00:10Z') };
    const earlier = { at: tenSecondsIn.now, fraction: progressFraction(tenSecondsIn) };
    expect(earlier.fraction).toBeCloseTo(0.2);
    expect(computeProgress({ ...applied, earlier }).etaSeconds).toBe(30);
  });
  it('moves through the close for the seconds it is expected to take, stopping short of the end when it takes longer', () => {
    // rows read and merged in 40 s, the close started at 40 s and is expected to take 10 s
    const closing = {
      ...base,
      phase: 'committing',
      bytesRead: 1000,
      rowsCommitted: 100,
      phaseStartedAt: new Date('2026-11-23T10:00:40Z'),
      counters: { claimsUnchanged: 100, rowsSeconds: 40, lastCloseSeconds: 10 },
    };
    const at = (s: string) => computeProgress({ ...closing, now: new Date(`2026-11-23T10:00:${s}Z`) }).etaSeconds;
    expect(at('44')).toBe(6);
    expect(at('48')).toBe(2);
    expect(at('55')).toBe(1);
    // no close timed at the location: the fixed share of it, in the rows' seconds (18 % of 50 s)
    const first = { ...closing, phaseStartedAt: new Date('2026-11-23T10:00:41Z'), counters: { claimsUnchanged: 100, rowsSeconds: 41 } };
    expect(computeProgress({ ...first, now: new Date('2026-11-23T10:00:45Z') }).etaSeconds).toBe(5);
    expect(progressFraction({ ...first, now: new Date('2026-11-23T10:00:41Z') })).toBeCloseTo(0.82);
    // a close after a Save (the rows were not timed): the fixed share, still
    const saved = { ...first, counters: { claimsUnchanged: 100 }, now: new Date('2026-11-23T10:00:45Z') };
    expect(progressFraction(saved)).toBeCloseTo(0.82);
  });
  it('follows the recent pace once it was seen at least a few seconds ago', () => {
    const seen = (at: string, fraction: number) =>
      computeProgress({ ...base, earlier: { at: new Date(`2026-11-23T10:00:${at}Z`), fraction } }).etaSeconds;
    // 16.4 % of the work after 20 s; the average since the start says 102 s left.
    expect(seen('19.5', 0.1)).toBe(102); // a window of half a second is too short: the average
    expect(seen('18.5', 0.144)).toBe(102); // 2 points is a chunk's jump, not a pace: the average
    expect(seen('18.5', 0.128)).toBe(35); // 3.6 points in the last 1.5 s
    expect(seen('15', 0)).toBe(25); // 16.4 points in the last 5 s: 83.6 left at 3.3 points a second
    expect(seen('17.5', 0.1)).toBe(33); // 6.4 points in the last 2.5 s
    expect(seen('15', 0.118)).toBe(91); // 4.6 points in the last 5 s: slower now
    expect(seen('15', 0.164)).toBe(102); // no progress since: the average, not an endless wait
  });
  it('says no time left until the pace is steady', () => {
    const early = { ...base, now: new Date('2026-11-23T10:00:08Z') };
    // 8 s in (16.4 % done), nothing seen before: the average since the start is not trusted
    expect(computeProgress(early).etaSeconds).toBeNull();
    // a pace over half a second is one chunk's jump; a move of two points is not a pace either
    expect(computeProgress({ ...early, earlier: { at: new Date('2026-11-23T10:00:07.5Z'), fraction: 0.1 } }).etaSeconds).toBeNull();
    expect(computeProgress({ ...early, earlier: { at: new Date('2026-11-23T10:00:04Z'), fraction: 0.144 } }).etaSeconds).toBeNull();
    // 11.4 points in the 6 s since progress was first seen: 83.6 left at 1.9 points a second
    expect(computeProgress({ ...early, earlier: { at: new Date('2026-11-23T10:00:02Z'), fraction: 0.05 } }).etaSeconds).toBe(44);
    // 15 s in, with no recent pace to go by: the average is not trusted yet either
    expect(computeProgress({ ...base, now: new Date('2026-11-23T10:00:15Z') }).etaSeconds).toBeNull();
  });
  it('is 100% with no time left once completed', () => {
    expect(computeProgress({ ...base, status: 'completed', phase: 'done', rowsCommitted: 100 })).toMatchObject({
      percent: 100,
      rowsTotal: 100,
      etaSeconds: 0,
    });
  });
  it('has no estimate before anything was read', () => {
    expect(computeProgress({ ...base, status: 'queued', phase: 'queued', rowsRead: 0, bytesRead: 0 })).toEqual({
      percent: 0,
      rowsTotal: null,
      rowsTotalEstimated: true,
      rowsPerSecond: 0,
      etaSeconds: null,
    });
  });
});
