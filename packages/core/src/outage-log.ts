/** The part of a pino logger a connection needs; pino's Logger is one. */
export interface FaultLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** While a service stays down, one reminder this often instead of a line per reconnect attempt. */
const REMIND_EVERY_MS = 60_000;

/**
 * Turns the stream of errors a dropped connection raises (ioredis retries every second or two, every
 * pooled Postgres client reports its own loss) into one warning when a service goes down, a reminder
 * a minute while it stays down, and one line when it answers again. Only an error's code and message
 * are logged: a driver error can carry parameters, and patient data must not reach the logs.
 */
export class OutageLog {
  private downSince: number | null = null;
  private lastWarned = 0;
  private errorsSinceWarned = 0;

  constructor(
    private readonly service: string,
    private readonly logger: FaultLogger | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get isDown(): boolean {
    return this.downSince !== null;
  }

  down(e: unknown): void {
    const t = this.now();
    this.errorsSinceWarned++;
    if (this.downSince !== null && t - this.lastWarned < REMIND_EVERY_MS) return;
    const first = this.downSince === null;
    this.downSince ??= t;
    this.logger?.warn(
      { service: this.service, error: describeFault(e), errors: this.errorsSinceWarned, downForMs: t - this.downSince },
      first ? `${this.service} connection lost; retrying` : `${this.service} still unreachable; retrying`,
    );
    this.lastWarned = t;
    this.errorsSinceWarned = 0;
  }

  up(): void {
    if (this.downSince === null) return;
    this.logger?.info(
      { service: this.service, downForMs: this.now() - this.downSince },
      `${this.service} reachable again`,
    );
    this.downSince = null;
    this.errorsSinceWarned = 0;
  }
}

/** An error's code and message, nothing else (no query text, parameters or detail). */
export function describeFault(e: unknown): { code?: string; message: string } {
  if (typeof e === 'object' && e !== null) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : 'an error without a message';
    return typeof code === 'string' ? { code, message: text } : { message: text };
  }
  return { message: String(e) };
}
