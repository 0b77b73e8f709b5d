import type { Logger } from 'pino';
import { coerceError } from '@ledgerport/core';

/**
 * Writes a request does not wait for (an audit line, a token's last use): started at once, never
 * dropped silently (a failure is logged as an error), and awaited at shutdown before the pool closes.
 */
export class BackgroundWrites {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(what: string, write: () => Promise<unknown>, context: Record<string, unknown> = {}): void {
    const p: Promise<void> = write().then(
      () => undefined,
      (e: unknown) => {
        this.logger.error({ err: coerceError(e), ...context }, `${what} failed`);
      },
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Resolves once every write started so far has finished (or failed and been logged). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
