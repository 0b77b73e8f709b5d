// Expected failures (a bad cell, an unreadable header) are values, not exceptions, so a parser can
// collect every problem of a file instead of stopping at the first throw.
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(message: string): Result<T> {
  return { ok: false, error: message };
}
