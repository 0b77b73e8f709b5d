import { progressFraction } from '@ledgerport/core';
import type { ImportRecord } from '@ledgerport/db';

/** A fall in progress larger than this means it really went back. */
const SETBACK = 0.02;

interface Sighting {
  at: number;
  fraction: number;
}

/**
 * What this API process saw of each running import's progress over the last few seconds, so the time
 * left it shows follows the current pace (computeProgress's `earlier`) rather than the average since
 * the start. In memory, per process: a process that has not watched an import for a few seconds
 * (just started, or behind another load balancer leg) answers from the average, as before.
 */
export class PaceSamples {
  private readonly seen = new Map<string, Sighting[]>();

  constructor(
    private readonly windowMs = 15_000,
    private readonly maxImports = 1_000,
  ) {}

  /** Notes this sighting of the import and returns the oldest one still inside the window. */
  earlier(imp: ImportRecord, now: Date): { at: Date; fraction: number } | undefined {
    if (imp.status !== 'running') {
      this.seen.delete(imp.id);
      return undefined;
    }
    const t = now.getTime();
    const fraction = progressFraction({ ...imp, now });
    // Nothing read yet: the pace starts with the first progress, so a worker's start-up (seconds on a
    // busy machine) does not count as slow going.
    if (fraction <= 0) return undefined;
    let list = this.seen.get(imp.id);
    // Progress that went back (an attempt undone, a retry) starts the pace over; a dip of a fraction
    // of a point is the read running a chunk ahead of the merge, and is not a sighting worth keeping.
    const latest = list?.[list.length - 1];
    if (list && latest && fraction < latest.fraction && fraction >= latest.fraction - SETBACK)
      return this.oldest(list, t);
    if (!list || (latest && fraction < latest.fraction)) {
      list = [];
      this.seen.delete(imp.id);
      this.seen.set(imp.id, list);
      if (this.seen.size > this.maxImports) this.seen.delete(this.seen.keys().next().value as string);
    }
    for (let oldest = list[0]; oldest && t - oldest.at > this.windowMs; oldest = list[0]) list.shift();
    const last = list[list.length - 1];
    if (!last || t - last.at >= 1_000) list.push({ at: t, fraction });
    return this.oldest(list, t);
  }

  private oldest(list: Sighting[], t: number): { at: Date; fraction: number } | undefined {
    const first = list[0];
    return first && first.at < t ? { at: new Date(first.at), fraction: first.fraction } : undefined;
  }
}
