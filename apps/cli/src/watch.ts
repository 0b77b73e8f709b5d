import { isTransient, type ApiClient } from './api-client.js';
import { isSettled, type ImportView } from './import-view.js';

export interface WatchOptions {
  intervalMs: number;
  sleep(ms: number): Promise<void>;
  onUpdate(v: ImportView): void;
  /** How long the API may stay silent (unreachable, 5xx) before watching gives up; 10 minutes by default. */
  maxOutageMs?: number;
  /** Told once per failed poll, with the delay before the next one. */
  onOutage?(e: unknown, retryInMs: number): void;
  now?: () => number;
}

/** Polls back off while the API is away, to at most this: a restart is noticed within half a minute. */
export const MAX_BACKOFF_MS = 30_000;
export const DEFAULT_MAX_OUTAGE_MS = 10 * 60_000;

/** The API stopped answering for longer than the watch waits; the import itself goes on on the server. */
export class WatchLost extends Error {
  constructor(
    readonly importId: string,
    readonly last: ImportView | null,
    readonly outageMs: number,
    options: { cause: unknown },
  ) {
    super(`The API has not answered for ${Math.round(outageMs / 1000)} s while watching import ${importId}.`, options);
    this.name = 'WatchLost';
  }
}

/**
 * Polls one import until it settles (ready, completed, failed, cancelled, reverted) and returns it.
 * An API that stops answering (a restart, a network blip, a deploy) is waited out with backoff; a
 * refusal (404, 403) ends the watch at once.
 */
export async function watchImport(
  client: Pick<ApiClient, 'getImport'>,
  id: string,
  opts: WatchOptions,
): Promise<ImportView> {
  const maxOutageMs = opts.maxOutageMs ?? DEFAULT_MAX_OUTAGE_MS;
  const now = opts.now ?? Date.now;
  let last: ImportView | null = null;
  let outageSince: number | null = null;
  let delay = opts.intervalMs;
  for (;;) {
    try {
      const v = await client.getImport(id);
      last = v;
      outageSince = null;
      delay = opts.intervalMs;
      opts.onUpdate(v);
      if (isSettled(v)) return v;
    } catch (e) {
      if (!isTransient(e)) throw e;
      outageSince ??= now();
      const lasted = now() - outageSince;
      if (lasted >= maxOutageMs) throw new WatchLost(id, last, lasted, { cause: e });
      delay = Math.min(MAX_BACKOFF_MS, Math.max(opts.intervalMs, delay * 2), maxOutageMs - lasted);
      opts.onOutage?.(e, delay);
    }
    await opts.sleep(delay);
  }
}
