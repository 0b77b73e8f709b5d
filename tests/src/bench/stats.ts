// Pure arithmetic over what the benchmark observed: percentiles, progress stalls, ETA error, expected summaries.
import type { Poll } from './api-client.js';

/** Nearest-rank percentile; null for no samples. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

export interface Stall {
  seconds: number;
  /** where the import was when the progress stopped moving */
  phase: string;
  percent: number;
}

const progressKey = (p: Poll) =>
  `${p.view.status}|${p.view.phase}|${p.view.rowsRead}|${p.view.rowsCommitted}|${p.view.claimsChecked ?? 0}|${p.view.claimsResolved ?? 0}`;

/**
 * The longest time between two polls that saw different progress (phase, rows read, rows committed,
 * claims compared with the file while the snapshot closes, claims resolved),
 * from the first poll that saw the import running to the one that saw it completed. Reaching
 * `completed` counts as progress, so a long finalize shows up as a stall. Resolution: one poll interval.
 */
export function longestStall(polls: readonly Poll[]): Stall | null {
  const start = polls.findIndex((p) => p.view.status === 'running');
  if (start < 0) return null;
  const first = polls[start];
  if (!first) return null;
  let lastChange = first;
  let worst: Stall = { seconds: 0, phase: first.view.phase, percent: first.view.percent };
  for (const p of polls.slice(start + 1)) {
    if (progressKey(p) === progressKey(lastChange)) continue;
    const seconds = (p.atMs - lastChange.atMs) / 1000;
    if (seconds > worst.seconds) worst = { seconds, phase: lastChange.view.phase, percent: lastChange.view.percent };
    lastChange = p;
  }
  return worst;
}

export interface EtaCheck {
  /** the checkpoint: 10, 25 or 50 (%) */
  at: number;
  /** percent shown by the poll used, null when no poll landed between the checkpoint and completion */
  percent: number | null;
  etaSeconds: number | null;
  actualSeconds: number | null;
  /** |eta − actual| / actual; null when it could not be measured (no poll, or no ETA shown) */
  error: number | null;
}

export const ETA_CHECKPOINTS = [10, 25, 50] as const;

/** ETA shown by the first running poll at/after each checkpoint against the real time left. */
export function etaChecks(polls: readonly Poll[], completedAtMs: number): EtaCheck[] {
  return ETA_CHECKPOINTS.map((at) => {
    const p = polls.find((q) => q.view.status === 'running' && q.view.percent >= at);
    if (!p) return { at, percent: null, etaSeconds: null, actualSeconds: null, error: null };
    const actualSeconds = (completedAtMs - p.atMs) / 1000;
    const eta = p.view.etaSeconds;
    const error = eta === null || actualSeconds <= 0 ? null : Math.abs(eta - actualSeconds) / actualSeconds;
    return { at, percent: p.view.percent, etaSeconds: eta, actualSeconds, error };
  });
}

export interface ClaimSummary {
  claimsNew: number;
  claimsUpdated: number;
  claimsUnchanged: number;
  claimsResolved: number;
}

export function expectedFirstSummary(rows: number): ClaimSummary {
  return { claimsNew: rows, claimsUpdated: 0, claimsUnchanged: 0, claimsResolved: 0 };
}

/**
 * second.csv is rows 1..N with every 10th balance changed and every 20th row left out: the 20th rows
 * are resolved, the other 10th rows updated, the rest unchanged, and nothing is new.
 */
export function expectedReimportSummary(rows: number): ClaimSummary {
  const tenth = Math.floor(rows / 10);
  const twentieth = Math.floor(rows / 20);
  return { claimsNew: 0, claimsUpdated: tenth - twentieth, claimsUnchanged: rows - tenth, claimsResolved: twentieth };
}

/**
 * A file of rows 1..N that changes every `next.changeEvery`th balance and leaves out every
 * `next.dropEvery`th claim, imported after one that did the same by `prev`: a claim the file leaves out
 * is resolved if it was open; one it lists that was resolved is reopened (updated), as is one whose
 * balance differs from the one before; the rest are unchanged. Nothing is new.
 */
export function expectedNextNightSummary(
  rows: number,
  prev: { changeEvery: number; dropEvery: number },
  next: { changeEvery: number; dropEvery: number },
): ClaimSummary {
  const s: ClaimSummary = { claimsNew: 0, claimsUpdated: 0, claimsUnchanged: 0, claimsResolved: 0 };
  for (let i = 1; i <= rows; i++) {
    const wasOpen = i % prev.dropEvery !== 0;
    if (i % next.dropEvery === 0) {
      if (wasOpen) s.claimsResolved++;
    } else if (!wasOpen || i % prev.changeEvery === 0 !== (i % next.changeEvery === 0)) s.claimsUpdated++;
    else s.claimsUnchanged++;
  }
  return s;
}

/** The fields that differ, as "claimsUpdated 12 (expected 10)"; empty when the summary is exact. */
export function summaryDifferences(actual: Partial<ClaimSummary> | null, expected: ClaimSummary): string[] {
  if (!actual) return ['no summary'];
  return (Object.keys(expected) as Array<keyof ClaimSummary>)
    .filter((k) => actual[k] !== expected[k])
    .map((k) => `${k} ${actual[k] ?? 'missing'} (expected ${expected[k]})`);
}
