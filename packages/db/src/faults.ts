/**
 * Postgres error codes worth retrying the whole unit of work for: they say nothing about the data.
 * `unavailable` marks the ones that mean the server itself cannot be used right now (down, restarting,
 * full of connections), as opposed to a clash between two transactions: the API answers those with
 * 503, and a worker waits them out without spending one of the import's attempts.
 */
export const RETRYABLE_PG_CODES: Readonly<Record<string, { name: string; unavailable: boolean }>> = {
  '40001': { name: 'serialization_failure', unavailable: false },
  '40P01': { name: 'deadlock_detected', unavailable: false },
  '55P03': { name: 'lock_not_available', unavailable: false },
  '57P01': { name: 'admin_shutdown', unavailable: true },
  '57P02': { name: 'crash_shutdown', unavailable: true },
  '57P03': { name: 'cannot_connect_now', unavailable: true },
  '08000': { name: 'connection_exception', unavailable: true },
  '08001': { name: 'sqlclient_unable_to_establish_sqlconnection', unavailable: true },
  '08003': { name: 'connection_does_not_exist', unavailable: true },
  '08004': { name: 'sqlserver_rejected_establishment_of_sqlconnection', unavailable: true },
  '08006': { name: 'connection_failure', unavailable: true },
  '53300': { name: 'too_many_connections', unavailable: true },
};

/** Socket errors of the connection to Postgres: the server is down or unreachable, not the query wrong. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * What node-postgres says, with no SQLSTATE, when a connection dies under a query (the server was
 * stopped or restarted) or cannot be had in time.
 */
const UNAVAILABLE_DRIVER_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryablePgError(e: unknown): boolean {
  const code = codeOf(e);
  return code !== undefined && code in RETRYABLE_PG_CODES;
}

/**
 * True when an error means Postgres cannot be reached or used at the moment (see RETRYABLE_PG_CODES),
 * whatever layer raised it: a SQLSTATE, a socket error (Node 20 raises an AggregateError when every
 * address of the host refused), or node-postgres's own "Connection terminated" errors. Read by shape,
 * not `instanceof`: Node's own errors come from another realm under a test runner's sandbox.
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (typeof e !== 'object' || e === null || depth > 5) return false;
  const code = codeOf(e);
  if (code !== undefined && (RETRYABLE_PG_CODES[code]?.unavailable || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
  const { message, errors, cause } = e as { message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof message === 'string' && UNAVAILABLE_DRIVER_MESSAGES.includes(message)) return true;
  if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
