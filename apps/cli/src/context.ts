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
}

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

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
