// One timer for the whole page: fast while an import is moving, slow when nothing is, and off while
// the tab is hidden (a forgotten tab should not poll the API all night).

export interface PollerOptions {
  busyMs?: number;
  idleMs?: number;
  /** The page's visibility; injected so the rules can be tested without a browser. */
  visibility?: { hidden: boolean; onChange(listener: () => void): () => void };
  timers?: { set(fn: () => void, ms: number): number; clear(id: number): void };
}

export const BUSY_MS = 1500;
export const IDLE_MS = 10_000;

export class Poller {
  private timer: number | null = null;
  private running = false;
  private again = false;
  private stopped = true;
  private busy = false;
  private unlisten: (() => void) | null = null;
  private readonly busyMs: number;
  private readonly idleMs: number;
  private readonly visibility: NonNullable<PollerOptions['visibility']>;
  private readonly timers: NonNullable<PollerOptions['timers']>;

  /** `tick` refreshes what is on screen and says whether anything is still running. */
  constructor(
    private readonly tick: () => Promise<boolean>,
    opts: PollerOptions = {},
  ) {
    this.busyMs = opts.busyMs ?? BUSY_MS;
    this.idleMs = opts.idleMs ?? IDLE_MS;
    this.visibility = opts.visibility ?? {
      get hidden() {
        return document.hidden;
      },
      onChange(listener) {
        document.addEventListener('visibilitychange', listener);
        return () => document.removeEventListener('visibilitychange', listener);
      },
    };
    this.timers = opts.timers ?? { set: (fn, ms) => window.setTimeout(fn, ms), clear: (id) => window.clearTimeout(id) };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unlisten = this.visibility.onChange(() => {
      if (this.visibility.hidden) this.clearTimer();
      else this.kick();
    });
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.unlisten?.();
    this.unlisten = null;
  }

  /** Refresh now (after an upload, a retry, a page change), then carry on at the usual pace. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.clearTimer();
    void this.run();
  }

  /** The delay before the next tick, given what the last one saw. */
  get delay(): number {
    return this.busy ? this.busyMs : this.idleMs;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      this.busy = await this.tick();
    } catch {
      // A failed refresh (network blip) shows its message in the view; polling carries on.
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      void this.run();
      return;
    }
    if (!this.visibility.hidden) this.timer = this.timers.set(() => this.kick(), this.delay);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}
