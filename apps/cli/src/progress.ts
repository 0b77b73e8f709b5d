import { formatCount, formatDuration, formatPercent, formatRate, formatRows, logStamp } from './format.js';
import type { ImportView } from './import-view.js';

export type ProgressView = Pick<
  ImportView,
  'status' | 'phase' | 'percent' | 'rowsRead' | 'rowsAccepted' | 'rowsCommitted' | 'rowsPerSecond' | 'etaSeconds'
> &
  Partial<Pick<ImportView, 'rowsTotal' | 'rowsTotalEstimated'>>;

export interface ProgressStream {
  write(chunk: string): unknown;
  columns?: number;
}

export interface ProgressReporter {
  update(v: ProgressView): void;
  /** Leaves the terminal on a fresh line. */
  finish(): void;
}

/** What the import is doing, in words: "waiting for a worker", "reading", "saving". */
export function stepLabel(v: Pick<ProgressView, 'status' | 'phase'>): string {
  if (v.status !== 'running' && v.status !== 'queued') return v.status;
  if (v.status === 'queued') return 'waiting';
  if (v.phase === 'committing') return 'saving';
  if (v.phase === 'staged') return 'checked';
  return 'reading';
}

function rowsText(v: ProgressView): string {
  if (v.phase === 'committing') return `${formatCount(v.rowsCommitted)} of ${formatRows(v.rowsAccepted)} saved`;
  const moving = v.status === 'running' || v.status === 'queued';
  if (moving && v.rowsTotal && v.rowsTotal > v.rowsRead)
    return `${formatCount(v.rowsRead)} of ${v.rowsTotalEstimated ? 'about ' : ''}${formatRows(v.rowsTotal)} read`;
  return `${formatRows(v.rowsRead)} read`;
}

function details(v: ProgressView): string[] {
  const parts = [rowsText(v)];
  if (v.status === 'running' && v.rowsPerSecond > 0) parts.push(formatRate(v.rowsPerSecond));
  if (v.status === 'running' && v.etaSeconds !== null) parts.push(`${formatDuration(v.etaSeconds)} left`);
  return parts;
}

function percentText(v: ProgressView): string {
  return formatPercent(v.percent);
}

/** Room kept for the text after the bar, so the bar keeps one width as the numbers change. */
const TAIL_ROOM = 56;

/**
 * One terminal line: `reading  [██████░░░░░░]  52%  6,240 rows read  3,100 rows/s  12 s left`.
 * The bar shrinks so the line never wraps (a wrapped line breaks the carriage-return redraw).
 */
export function renderBar(v: ProgressView, columns = 80): string {
  const label = stepLabel(v).padEnd(8);
  const tail = `${percentText(v).padStart(5)}  ${details(v).join('  ')}`;
  const room = columns - 1 - label.length - TAIL_ROOM - 4;
  const width = Math.max(10, Math.min(40, room));
  const filled = Math.round((Math.min(100, Math.max(0, v.percent)) / 100) * width);
  const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${tail}`;
  return line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

/** One log line for files and pipes: `reading: 52% · 6,240 of 12,000 rows read · 3,100 rows/s · 12 s left`. */
export function renderLine(v: ProgressView): string {
  return `${stepLabel(v)}: ${[percentText(v), ...details(v)].join(' · ')}`;
}

/** Redraws one line in place with a carriage return. */
export function barReporter(stream: ProgressStream): ProgressReporter {
  let drawn = false;
  return {
    update(v) {
      // A pseudo-terminal nobody sized reports 0 columns.
      stream.write(`\r${renderBar(v, stream.columns || 80)}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/**
 * Plain lines for logs, each stamped with the local time: a line whenever the step changes, and
 * otherwise at most one every `everyMs`, so a nightly log of a long import stays readable.
 */
export function lineReporter(
  stream: ProgressStream,
  opts: { everyMs?: number; now?: () => number; stamp?: (d: Date) => string } = {},
): ProgressReporter {
  const everyMs = opts.everyMs ?? 5000;
  const now = opts.now ?? Date.now;
  const stamp = opts.stamp ?? logStamp;
  let lastStep = '';
  let lastText = '';
  let lastAt = -Infinity;
  return {
    update(v) {
      const step = stepLabel(v);
      const text = renderLine(v);
      const t = now();
      if (text === lastText) return;
      if (step === lastStep && t - lastAt < everyMs) return;
      stream.write(`[${stamp(new Date(t))}] ${text}\n`);
      lastStep = step;
      lastText = text;
      lastAt = t;
    },
    finish() {},
  };
}
