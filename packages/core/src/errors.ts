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
  constructor(code: string, message: string, options?: { cause?: unknown }) {
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
