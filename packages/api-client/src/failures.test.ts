import { canRetry, failureAction } from './failures.js';

const failed = (code: string | null, over: object = {}) => ({
  status: 'failed' as const,
  kind: 'aging' as const,
  fileDeletedAt: null,
  error: { code, message: 'x' },
  ...over,
});

describe('what a failure lets staff do', () => {
  it('offers Retry only where the trouble was outside the file', () => {
    expect(canRetry(failed('database_unavailable'))).toBe(true);
    expect(canRetry(failed(null))).toBe(true);
    for (const code of ['not_a_spreadsheet', 'unrecognized_layout', 'broken_file', 'nothing_readable', 'wrong_location', 'no_rows', 'wrong_kind'])
      expect(canRetry(failed(code))).toBe(false);
  });

  it('sends an unknown aging layout to the mapping screen and a broken file back to be fixed', () => {
    expect(failureAction(failed('unrecognized_layout'))).toBe('map_columns');
    expect(failureAction(failed('unrecognized_layout', { kind: 'patients' }))).toBe('fix_and_upload');
    expect(failureAction(failed('rows_rejected'))).toBe('fix_and_upload');
    expect(failureAction(failed('no_claims'))).toBe('confirm_empty');
    expect(failureAction(failed('broken_file', { fileDeletedAt: '2026-12-01T00:00:00Z' }))).toBe('upload_again');
    expect(failureAction({ ...failed('x'), status: 'completed' })).toBeNull();
  });
});
