// The one test of "is this an id": 8-4-4-4-12 hex digits. Postgres's uuid input is looser (it takes
// braces, missing hyphens, 32 digits), and a malformed id reaching it is a server error, so every id
// from a request is checked here first and anything else is simply not found.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A whole-number id (claims, notifications) written the one way we write it: digits, no sign, no
 * leading zero, no exponent or hex ("1e3", "0x10", " 12" are not ids). Null for anything else.
 */
export function parseIntegerId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}
