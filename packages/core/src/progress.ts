// Turns what the import row records (bytes read, rows merged, timestamps) into what staff see:
// one percentage across both phases, a rate and a time left.

export interface ProgressInput {
  status: string;
  phase: string;
  mode: 'commit' | 'preview';
  sizeBytes: number;
  bytesRead: number;
  rowsRead: number;
  rowsAccepted: number;
  rowsCommitted: number;
  startedAt: Date | null;
  phaseStartedAt: Date | null;
  now: Date;
  /**
   * The import's progress as someone saw it a little while ago (see PaceSamples): the time left then
   * follows the recent pace instead of the average since the start, which start-up and a slower
   * first stretch (every page written for the first time after a checkpoint) hold down.
   */
  earlier?: { at: Date; fraction: number };
  /** What the merged rows of an aging import were: claims new to the location, or ones it had. */
  counters?: {
    claimsNew?: number;
    claimsUpdated?: number;
    claimsUnchanged?: number;
    locationHadOpenClaims?: number;
    /** how long the location's last close took, in seconds: the close to come is expected to take as long */
    lastCloseSeconds?: number;
    /** set as the close starts, after rows read and merged in one attempt: how long they took, in seconds */
    rowsSeconds?: number;
  };
}

export interface Progress {
  /** of the current step, following its rows: 15,000 of 150,000 rows read is 10 % */
  percent: number;
  /** the rows the current step goes through: estimated from the file's size until it is read */
  rowsTotal: number | null;
  rowsTotalEstimated: boolean;
  rowsPerSecond: number;
  /** the time left of the whole import, once its pace is steady enough to say */
  etaSeconds: number | null;
}

// Reading and validating is cheaper than merging; these weights keep the bar moving evenly.
const STAGE_WEIGHT = 0.4;
/**
 * Closing the snapshot (finding and resolving the claims the file no longer lists) comes after the
 * last row is merged. Kept out of what the rows move, so the time left they give includes it instead
 * of running out while the snapshot is closed. Its share grew as reading got faster: 10–17 % of a
 * 1,000,000-row re-import in the bench until the twelfth session, 13–25 % (about 18 % most runs)
 * since the thirteenth, where 12 % made the time left at half way 15–32 % short.
 */
const CLOSE_WEIGHT = 0.18;
/**
 * Only claims the location had before can be missing from the file, and the close skips the ones the
 * import created: when the merged rows were mostly new claims (a location's first file), so little is
 * left to close (under 4 % of a 1,000,000-row first import) that reserving the whole share made the
 * time left 30 % too long. The close keeps this part of its share whatever the rows were.
 */
const MIN_CLOSE_SHARE = 0.25;

/** The fixed share's part the rows merged so far call for: all of it when they were claims the location had. */
function fixedCloseWeight(c: ProgressInput['counters']): number {
  const existing = (c?.claimsUpdated ?? 0) + (c?.claimsUnchanged ?? 0);
  const merged = existing + (c?.claimsNew ?? 0);
  return merged === 0 ? CLOSE_WEIGHT : CLOSE_WEIGHT * Math.max(MIN_CLOSE_SHARE, existing / merged);
}

/** However long the last close took, the rows keep this much of the bar. */
const MAX_CLOSE_WEIGHT = 0.9;
/** A close slower than expected stops short of the end of the bar, where the time left is a few seconds. */
const CLOSE_PROGRESS_CAP = 0.95;

const finiteSeconds = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null);

/** The close's share of an import whose close is expected to take `closeSeconds` after rows that take `rowsSeconds`. */
function shareOf(closeSeconds: number, rowsSeconds: number): number {
  return closeSeconds + rowsSeconds > 0 ? Math.min(MAX_CLOSE_WEIGHT, closeSeconds / (closeSeconds + rowsSeconds)) : 0;
}

/**
 * The share of the import's work done, 0 to 1, from what its row records.
 *
 * The snapshot's close (finding and resolving the claims the file no longer lists) comes after the last
 * row, and the rows' pace says nothing of it. How long it takes depends on the location (its claims)
 * and the machine more than on the file: about 18 % of a 1,000,000-row re-import in the bench, 20–26 %
 * of a 10,000,000-row one, where a fixed share made the time left at a quarter 27 % short. So when the
 * location's last import timed its close (lastCloseSeconds, copied with the first chunk), the close is
 * expected to take as long again, and its share is those seconds against the rows' own, measured as
 * they go (seconds so far over the share of rows done): with a steady pace the fraction then grows in
 * step with time, and the time left is the rows' plus the close's. Without it, the fixed share.
 */
export function progressFraction(p: ProgressInput): number {
  if (['completed', 'ready'].includes(p.status)) return 1;
  if (p.status === 'queued' && p.rowsRead === 0) return 0;
  const staged = p.sizeBytes > 0 ? Math.min(1, p.bytesRead / p.sizeBytes) : 0;
  const committing = p.phase === 'committing' || p.phase === 'done';
  // An aging import applied as it is read (see the worker's applyWhileReading) merges each chunk right
  // after staging it: the file read, scaled by how much of what was read is merged, is the whole of
  // the work. Still so once the read is over ('staged') and the last chunks are being merged.
  const appliedWhileRead = (p.phase === 'staging' || p.phase === 'staged') && p.rowsCommitted > 0;
  const merged = p.rowsAccepted > 0 ? Math.min(1, p.rowsCommitted / p.rowsAccepted) : committing ? 1 : 0;
  if (p.mode === 'preview') return staged;
  const rowsDone = committing
    ? STAGE_WEIGHT + (1 - STAGE_WEIGHT) * merged
    : appliedWhileRead
      ? staged * merged
      : STAGE_WEIGHT * (p.phase === 'staged' ? 1 : staged);
  const c = p.counters;
  // The location had no open claims when the file's first chunk was merged: nothing can be missing,
  // and the close is skipped (1,000,000 claims' first import: none of it), so nothing is kept for it.
  if (c?.locationHadOpenClaims === 0) return rowsDone;
  const lastClose = finiteSeconds(c?.lastCloseSeconds);
  const rowsSeconds = finiteSeconds(c?.rowsSeconds);
  // The close is running after rows read and merged in this attempt (the worker noted how long they
  // took): its part of the bar moves with the seconds it was expected to take.
  if (committing && p.status === 'running' && merged >= 1 && rowsSeconds !== null && p.phaseStartedAt) {
    const fixed = fixedCloseWeight(c);
    const closeSeconds = lastClose ?? (rowsSeconds * fixed) / (1 - fixed);
    const weight = lastClose === null ? fixed : shareOf(closeSeconds, rowsSeconds);
    const closing = Math.max(0, (p.now.getTime() - p.phaseStartedAt.getTime()) / 1000);
    return 1 - weight + weight * (closeSeconds > 0 ? Math.min(CLOSE_PROGRESS_CAP, closing / closeSeconds) : CLOSE_PROGRESS_CAP);
  }
  const elapsed = p.startedAt ? (p.now.getTime() - p.startedAt.getTime()) / 1000 : 0;
  if (lastClose !== null && appliedWhileRead && rowsDone > 0 && elapsed > 0)
    return (1 - shareOf(lastClose, elapsed / rowsDone)) * rowsDone;
  return (1 - fixedCloseWeight(c)) * rowsDone;
}

/**
 * A pace is steady enough to give a time left once it was measured over this long and the import moved
 * at least MIN_PACE_STEP in it: several chunks, not the jump of the last one. The pace is measured from
 * the first sighting of progress (see PaceSamples), never from the start, so the seconds a worker takes
 * to start do not make the first figures jump (1 min 14 s, then 15 s three seconds later). A 1,000,000-row
 * import shows it before 10 %, where the benchmark starts judging it (a re-import reaches 10 % in 2 s).
 */
const MIN_PACE_WINDOW_S = 1;
const MIN_PACE_STEP = 0.03;
/** Without a recent pace (another API process served the last look) the average is used, from here. */
const AVERAGE_AFTER_S = 20;

/** Where the current step is in rows: reading (of a total estimated from the bytes read), or saving. */
export function stepRows(p: ProgressInput): { done: number; total: number | null; estimated: boolean } {
  if (p.status === 'completed') return { done: p.rowsCommitted || p.rowsRead, total: p.rowsCommitted || p.rowsRead, estimated: false };
  if (p.status === 'ready') return { done: p.rowsRead, total: p.rowsRead, estimated: false };
  if (p.phase === 'committing' || p.phase === 'done') return { done: p.rowsCommitted, total: p.rowsAccepted, estimated: false };
  const appliedWhileRead = (p.phase === 'staging' || p.phase === 'staged') && p.rowsCommitted > 0;
  const merged = p.rowsAccepted > 0 ? Math.min(1, p.rowsCommitted / p.rowsAccepted) : 0;
  const done = appliedWhileRead ? Math.round(p.rowsRead * merged) : p.rowsRead;
  if (p.phase === 'staged') return { done, total: p.rowsRead, estimated: false };
  const staged = p.sizeBytes > 0 ? Math.min(1, p.bytesRead / p.sizeBytes) : 0;
  if (staged <= 0 || p.rowsRead === 0) return { done, total: null, estimated: true };
  // Rows so far over the share of bytes read: a header and title lines make it a little high at first.
  return { done, total: Math.max(p.rowsRead, Math.round(p.rowsRead / staged)), estimated: staged < 1 };
}

export function computeProgress(p: ProgressInput): Progress {
  if (['completed', 'ready'].includes(p.status)) {
    const r = stepRows(p);
    return { percent: 100, rowsTotal: r.total, rowsTotalEstimated: false, rowsPerSecond: rate(p), etaSeconds: 0 };
  }
  if (p.status === 'queued' && p.rowsRead === 0)
    return { percent: 0, rowsTotal: null, rowsTotalEstimated: true, rowsPerSecond: 0, etaSeconds: null };
  const rows = stepRows(p);
  const percent = rows.total ? Math.min(100, Math.round((rows.done / rows.total) * 1000) / 10) : 0;
  const fraction = progressFraction(p);
  const elapsed = p.startedAt ? (p.now.getTime() - p.startedAt.getTime()) / 1000 : 0;
  const running = p.status === 'running';
  const window = p.earlier ? (p.now.getTime() - p.earlier.at.getTime()) / 1000 : 0;
  const etaSeconds = !running
    ? null
    : p.earlier && window >= MIN_PACE_WINDOW_S && fraction - p.earlier.fraction >= MIN_PACE_STEP
      ? Math.round(((1 - fraction) * window) / (fraction - p.earlier.fraction))
      : fraction >= 0.01 && elapsed >= AVERAGE_AFTER_S
        ? Math.round((elapsed * (1 - fraction)) / fraction)
        : null;
  return { percent, rowsTotal: rows.total, rowsTotalEstimated: rows.estimated, rowsPerSecond: rate(p), etaSeconds };
}
/** A rate over less time than this is not shown. */
const MIN_RATE_WINDOW_S = 2;

function rate(p: ProgressInput): number {
  const since = p.phaseStartedAt ?? p.startedAt;
  if (!since) return 0;
  const seconds = (p.now.getTime() - since.getTime()) / 1000;
  // Over a second or two the figure is the size of one chunk, not a pace ("802,139 rows/s").
  if (seconds < MIN_RATE_WINDOW_S) return 0;
  const saving = p.phase === 'committing' || p.phase === 'done';
  // Merged as they were read, every row is saved before the closing step starts: rows over that
  // step's seconds would be no rate at all.
  if (saving && p.rowsAccepted > 0 && p.rowsCommitted >= p.rowsAccepted && p.status === 'running') return 0;
  return Math.round((saving ? p.rowsCommitted : p.rowsRead) / seconds);
}
