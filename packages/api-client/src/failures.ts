// What staff can do about a failed import, by its failure code. A retry reads the same file again: it
// only helps where the trouble was outside the file (the database, a worker, a lock); a file that is
// not a spreadsheet or whose columns nobody knows fails again however often it is retried.
import type { ImportView } from './types.js';

export type FailureAction =
  /** an administrator puts it back in the queue; it carries on from where it stopped */
  | 'retry'
  /** the layout is unknown: say which column is which, then it runs again */
  | 'map_columns'
  /** the file itself is wrong: correct it (the rejected rows come as a file) and upload it again */
  | 'fix_and_upload'
  /** an empty aging report: an administrator confirms the location has no open claims */
  | 'confirm_empty'
  /** the stored file is gone (retention): only a new upload can bring it in */
  | 'upload_again';

/** Codes a retry cannot put right: the file, or a choice made at upload, is what is wrong. */
const FILE_PROBLEMS = new Set([
  'not_a_spreadsheet',
  'broken_file',
  'empty_file',
  'nothing_readable',
  'no_rows',
  'bad_header',
  'unusable_header',
  'wrong_location',
  'wrong_kind',
  'rows_rejected',
  'older_snapshot',
  'quota_exceeded',
  'unknown_kind',
  'unknown_location',
  'unreadable_workbook',
  'workbook_too_large',
]);

export function failureAction(v: Pick<ImportView, 'status' | 'error' | 'fileDeletedAt' | 'kind'>): FailureAction | null {
  if (v.status !== 'failed') return null;
  const code = v.error?.code ?? '';
  if (code === 'no_claims') return 'confirm_empty';
  if (code === 'file_deleted' || code === 'stored_file_missing' || v.fileDeletedAt) return 'upload_again';
  if (code === 'unrecognized_layout') return v.kind === 'aging' ? 'map_columns' : 'fix_and_upload';
  if (FILE_PROBLEMS.has(code)) return 'fix_and_upload';
  return 'retry';
}

/** Whether Retry can succeed: the page offers it only then. */
export function canRetry(v: Pick<ImportView, 'status' | 'error' | 'fileDeletedAt' | 'kind'>): boolean {
  return failureAction(v) === 'retry';
}
