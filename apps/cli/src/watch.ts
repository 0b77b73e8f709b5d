import { ApiError, ApiUnreachableError, type ApiClient } from './api-client.js';
import { isSettled, type ImportView } from './import-view.js';

export interface WatchOptions {
  intervalMs: number;
  sleep(ms: number): Promise<void>;
  onUpdate(v: ImportView): void;
  /** Polls in a row that may fail (API restarting, a network blip) before giving up. */
  maxFailures?: number;
}

function transient(e: unknown): boolean {
  return e instanceof ApiUnreachableError || (e instanceof ApiError && (e.status >= 500 || e.status === 429));
}

/** Polls one import until it settles (ready, completed, failed, cancelled, reverted) and returns it. */
export async function watchImport(
  client: Pick<ApiClient, 'getImport'>,
  id: string,
  opts: WatchOptions,
): Promise<ImportView> {
  const maxFailures = opts.maxFailures ?? 10;
  let failures = 0;
  for (;;) {
    try {
      const v = await client.getImport(id);
      failures = 0;
      opts.onUpdate(v);
      if (isSettled(v)) return v;
    } catch (e) {
      if (!transient(e) || ++failures > maxFailures) throw e;
    }
    await opts.sleep(opts.intervalMs);
  }
}
