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
}

export interface Progress {
  percent: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
}

// Reading and validating is cheaper than merging; these weights keep the bar moving evenly.
const STAGE_WEIGHT = 0.4;

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
  const fraction =
    p.mode === 'preview'
      ? staged
      : committing
        ? STAGE_WEIGHT + (1 - STAGE_WEIGHT) * merged
        : appliedWhileRead
          ? staged * merged
          : STAGE_WEIGHT * (p.phase === 'staged' ? 1 : staged);
  return fraction;
}

/** A pace measured over less than this is mostly the jump of the last chunk. */
const MIN_PACE_WINDOW_S = 4;

export function computeProgress(p: ProgressInput): Progress {
  if (['completed', 'ready'].includes(p.status)) return { percent: 100, rowsPerSecond: rate(p), etaSeconds: 0 };
  if (p.status === 'queued' && p.rowsRead === 0) return { percent: 0, rowsPerSecond: 0, etaSeconds: null };
  const fraction = progressFraction(p);
  const percent = Math.round(fraction * 1000) / 10;
  const elapsed = p.startedAt ? (p.now.getTime() - p.startedAt.getTime()) / 1000 : 0;
  const running = p.status === 'running';
  const window = p.earlier ? (p.now.getTime() - p.earlier.at.getTime()) / 1000 : 0;
  const etaSeconds = !running
    ? null
    : p.earlier && window >= MIN_PACE_WINDOW_S && fraction > p.earlier.fraction
      ? Math.round(((1 - fraction) * window) / (fraction - p.earlier.fraction))
      : fraction >= 0.01 && elapsed > 0
        ? Math.round((elapsed * (1 - fraction)) / fraction)
        : null;
  return { percent, rowsPerSecond: rate(p), etaSeconds };
}

function rate(p: ProgressInput): number {
  const since = p.phaseStartedAt ?? p.startedAt;
  if (!since) return 0;
  const seconds = Math.max(0.001, (p.now.getTime() - since.getTime()) / 1000);
  const rows = p.phase === 'committing' || p.phase === 'done' ? p.rowsCommitted : p.rowsRead;
  return Math.round(rows / seconds);
}
