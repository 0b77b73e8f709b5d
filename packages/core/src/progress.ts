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
    /** the close's weight the location's last import measured (closeWeightMeasured), in place of CLOSE_WEIGHT */
    closeWeight?: number;
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

/** The share of the close's weight the rows merged so far call for: all of it when they were claims the location had. */
function existingShare(c: ProgressInput['counters']): number {
  const existing = (c?.claimsUpdated ?? 0) + (c?.claimsUnchanged ?? 0);
  const merged = existing + (c?.claimsNew ?? 0);
  return merged === 0 ? 1 : Math.max(MIN_CLOSE_SHARE, existing / merged);
}

/** A measured close's weight is kept within these: one odd night (a file cut short) cannot freeze the bar. */
const MIN_LEARNED_CLOSE_WEIGHT = 0.02;
const MAX_LEARNED_CLOSE_WEIGHT = 0.8;

function closeWeight(p: ProgressInput): number {
  // The location had no open claims when the file's first chunk was merged: nothing can be missing,
  // and the close is skipped (1,000,000 claims' first import: none of it), so nothing is kept for it.
  if (p.counters?.locationHadOpenClaims === 0) return 0;
  const learned = p.counters?.closeWeight;
  const weight =
    typeof learned === 'number' && Number.isFinite(learned)
      ? Math.min(MAX_LEARNED_CLOSE_WEIGHT, Math.max(MIN_LEARNED_CLOSE_WEIGHT, learned))
      : CLOSE_WEIGHT;
  return weight * existingShare(p.counters);
}

/**
 * What a finished close says of the next one at the same location: the share of the import it took
 * (its seconds over the attempt's, read to resolved), as the close's weight for a file whose rows are
 * all claims the location had (what closeWeight scales by the rows merged). A location's nightly files
 * are alike in size and mix, and how long its close takes against its rows depends on the location's
 * claims and the machine as much as on the file: 18 % of a 1,000,000-row re-import in the bench,
 * 20–26 % of a 10,000,000-row one, where the fixed share made the time left at a quarter 27 % short.
 */
export function closeWeightMeasured(
  close: { closeSeconds: number; importSeconds: number },
  counters: ProgressInput['counters'],
): number | null {
  if (!(close.importSeconds > 0) || !(close.closeSeconds >= 0) || close.closeSeconds > close.importSeconds) return null;
  const share = close.closeSeconds / close.importSeconds / existingShare(counters);
  const kept = Math.min(MAX_LEARNED_CLOSE_WEIGHT, Math.max(MIN_LEARNED_CLOSE_WEIGHT, share));
  return Math.round(kept * 10_000) / 10_000;
}

/** The share of the import's work done, 0 to 1, from what its row records. */
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
  return (1 - closeWeight(p)) * rowsDone;
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
