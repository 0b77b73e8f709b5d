/**
 * Every code an import can fail with for good, named in one place. UnrecoverableImportError takes
 * only these, and tests/src/no-phi-outside-postgres.test.ts keeps a file (or says why no file can
 * cause it) for each one: a code added here is swept for patient data there, or the test does not
 * type-check.
 */
export const IMPORT_FAILURE_CODES = [
  'broken_file',
  'empty_file',
  'no_rows',
  'nothing_readable',
  'no_claims',
  'not_a_spreadsheet',
  'unreadable_workbook',
  'workbook_too_large',
  'unrecognized_layout',
  'unusable_header',
  'wrong_location',
  'older_snapshot',
  'quota_exceeded',
  'rows_rejected',
  'stored_file_missing',
  'unknown_kind',
  'unknown_location',
  'wrong_kind',
] as const;

export type ImportFailureCode = (typeof IMPORT_FAILURE_CODES)[number];

/** Codes a failed attempt can carry besides those: no file's fault (the worker sets them). */
export const ATTEMPT_FAILURE_CODES = ['internal_error', 'database_unavailable'] as const;

/**
 * Failures whose message quotes the file itself (its first row, its header's cells, the location it
 * names, the line it broke on, its name): once the file is deleted at the end of its retention, so is
 * the message (see forgetImportFile); the code stays.
 */
export const FAILURES_QUOTING_THE_FILE: readonly ImportFailureCode[] = [
  'unusable_header',
  'unrecognized_layout',
  'wrong_location',
  'broken_file',
  'stored_file_missing',
  'wrong_kind',
];

/** What a failed import says once the file its message quoted is gone. */
export const FORGOTTEN_FAILURE_MESSAGE =
  "This file could not be imported. What was wrong quoted the file's contents, so it was deleted with the file when your practice's retention period ended; upload the file again to see it.";
