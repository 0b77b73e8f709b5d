import type { ImportFailureCode } from './import-failures.js';

/**
 * Errors every app throws. The message is shown as is, so it is written for whoever reads it:
 * billing staff get what is wrong in their words. `code` is stable for clients to branch on,
 * `status` is the HTTP status the API answers with.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** The request or file is wrong in a way the user can fix. */
export class ValidationError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 400, options);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'not_found', message, 404, options);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have access to this.', options?: { cause?: unknown }) {
    super('forbidden', message, 403, options);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Please sign in again.', options?: { cause?: unknown }) {
    super('unauthorized', message, 401, options);
  }
}

/** The request clashes with what is already there (the same file imported, an older snapshot). */
export class ConflictError extends AppError {
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, 409, options);
    if (options?.details !== undefined) this.details = options.details;
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('file_too_large', message, 413, options);
  }
}

/**
 * A file no retry can fix (an unreadable header, the wrong layout). Workers turn it into BullMQ's
 * UnrecoverableError so the job fails at once instead of burning its attempts.
 */
export class UnrecoverableImportError extends AppError {
  declare readonly code: ImportFailureCode;

  constructor(code: ImportFailureCode, message: string, options?: { cause?: unknown }) {
    super(code, message, 422, options);
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Anything can be thrown in JavaScript; every catch makes it a real Error before looking at it. */
export function coerceError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (typeof e === 'string') return new Error(e);
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') {
    return new Error(e.message, { cause: e });
  }
  return new Error(`Non-error value thrown: ${describe(e)}`, { cause: e });
}

/** What of an error may be written where patient data must never go (logs, Redis, job records). */
export interface SafeError {
  type: string;
  /** our code, or the Postgres / Node error code */
  code?: string;
  /** Postgres's own facts about a failed statement: names of things, never values */
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
  /** where it was thrown: the stack's frames, without its first line (which is the message) */
  stack?: string;
  cause?: SafeError;
}

/**
 * An error as logs and job records may carry it. A message can quote a file's cells (a header row
 * that was a patient's row) and a Postgres error's detail quotes the row it refused ("Failing row
 * contains (…, Rivera, Ana, …)"), so neither goes out: only codes, names and code locations. The full
 * message lives on the import row in Postgres, where only its practice can read it.
 */
export function safeError(e: unknown, depth = 0): SafeError {
  // Already made safe (a log call that passes safeError(err) to a logger whose serializer applies it
  // again): keep its facts rather than wrap it as a "non-error value", losing its type and code.
  if (isSafeErrorShape(e)) {
    const out: SafeError = { type: e.type };
    for (const k of ['code', 'constraint', 'table', 'column', 'routine', 'stack'] as const) {
      const v = e[k];
      if (typeof v === 'string') out[k] = v;
    }
    if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1);
    return out;
  }
  const err = coerceError(e);
  const facts = err as Error & { code?: unknown; constraint?: unknown; table?: unknown; column?: unknown; routine?: unknown };
  const out: SafeError = { type: err.name };
  if (typeof facts.code === 'string') out.code = facts.code;
  for (const k of ['constraint', 'table', 'column', 'routine'] as const) {
    const v = facts[k];
    if (typeof v === 'string') out[k] = v;
  }
  const frames = err.stack
    ?.split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 12)
    .join('\n');
  if (frames) out.stack = frames;
  if (err.cause !== undefined && depth < 3) out.cause = safeError(err.cause, depth + 1);
  return out;
}

function isSafeErrorShape(e: unknown): e is SafeError & Record<string, unknown> {
  return typeof e === 'object' && e !== null && !(e instanceof Error) && typeof (e as { type?: unknown }).type === 'string' && !('message' in e);
}
