import type { ErrorEnvelope } from './types.js';

/** The API refused; `message` is its own words, written for the person reading it, shown as they are. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/** No answer at all: a wrong address, the server is down, the network is. Worth trying again later. */
export class ApiUnreachableError extends ApiError {
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(0, 'unreachable', `Ledgerport could not be reached${baseUrl ? ` at ${baseUrl}` : ''} (${reason}).`, {}, options);
    this.name = 'ApiUnreachableError';
  }
}

/** Why fetch itself failed, in its own words: node nests the useful part ("connect ECONNREFUSED …") in a cause. */
export function reasonOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause;
  return cause instanceof Error ? cause.message : e.message;
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  const error = (body as { error?: unknown } | null)?.error as { message?: unknown } | undefined;
  return typeof error === 'object' && error !== null && typeof error.message === 'string';
}

/** An error answer as an ApiError: the envelope's code, message and details, or the status for anything else. */
export function toApiError(status: number, statusText: string, text: string): ApiError {
  try {
    const body: unknown = JSON.parse(text);
    if (isEnvelope(body)) {
      const { code, message, ...details } = body.error;
      return new ApiError(status, typeof code === 'string' ? code : 'error', message, details);
    }
  } catch {
    // not JSON: a proxy's error page, say
  }
  return new ApiError(status, 'http_error', `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`);
}

/** Worth asking again: no answer, or the server (or a proxy before it) was busy or down. */
export function isTransient(e: unknown): boolean {
  return e instanceof ApiUnreachableError || (e instanceof ApiError && (e.status >= 500 || e.status === 429));
}
