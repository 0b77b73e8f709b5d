import type { Env } from './config.js';

/** A place to write text or bytes (process.stdout, a test buffer). */
export interface Output {
  write(chunk: string | Uint8Array): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command touches outside itself, so tests can hand in their own. */
export interface Context {
  stdout: Output;
  stderr: Output;
  env: Env;
  sleep(ms: number): Promise<void>;
  fetch?: typeof fetch;
  /** The clock: log-line stamps and how long an outage has lasted (tests hand in their own). */
  now?: () => Date;
  /** The import being watched, so Ctrl-C can name it (main.ts reads it). */
  watching?: { id: string | null; statusUrl: string | null };
}

/**
 * What a scheduler acts on. 4 and 5 are not failures of the command but of the money: a nightly cron
 * must notice a file held for an administrator, and one that did not add up to its report.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
  /** the import waits for an administrator's review on the page; nothing of it is applied */
  review: 4,
  /** completed, but not everything in the file was applied (or the report's printed total differs) */
  notAllApplied: 5,
  /** uploaded, but the API stopped answering while --wait watched it: the import goes on on the server */
  watchLost: 6,
  /** this exact file was already imported (for this location and kind): nothing new was uploaded */
  alreadyImported: 7,
  /** Ctrl-C: watching stopped; the import goes on on the server */
  interrupted: 130,
} as const;

/** The command ran but the outcome is a failure (a refused file, a failed import); exit 1 with this message. */
export class CommandFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailed';
  }
}

/** Writes and waits when the pipe is full, so `errors --csv > file` of a huge import stays in bounded memory. */
export async function writeAll(out: Output, chunk: string | Uint8Array): Promise<void> {
  if (out.write(chunk) || !out.once) return;
  const once = out.once.bind(out);
  await new Promise<void>((resolve) => once('drain', resolve));
}
