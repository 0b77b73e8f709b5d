/**
 * pino's `redact` for every runtime's logger (the API's and the worker's). safeError already turns
 * errors into codes and code locations; these are the other ways a value could slip into a log line
 * someone adds later: a request's address with its query (`?search=` holds a patient's name), its
 * headers (a token, a session cookie), its body, and the fields that name a person or hold a cell.
 * A key listed here is written as "[redacted]" whatever it holds, at the top of a line or one level in.
 */
const KEYS = [
  'url',
  'originalUrl',
  'query',
  'body',
  'search',
  'headers',
  'authorization',
  'cookie',
  'token',
  'password',
  'email',
  'patientName',
  'patient_name',
  'firstName',
  'lastName',
  'dateOfBirth',
  'firstRows',
  'first_rows',
  'cells',
  'row',
  'value',
];

export const LOG_REDACT: { paths: string[]; censor: string } = {
  paths: [...KEYS, ...KEYS.map((k) => `*.${k}`)],
  censor: '[redacted]',
};
