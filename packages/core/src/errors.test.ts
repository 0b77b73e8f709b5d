import {
  AppError,
  safeError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnrecoverableImportError,
  ValidationError,
  coerceError,
} from './errors.js';

describe('AppError subclasses', () => {
  it.each([
    [new ValidationError('bad_kind', 'Choose what kind of file this is.'), 'ValidationError', 'bad_kind', 400],
    [new NotFoundError('That import does not exist.'), 'NotFoundError', 'not_found', 404],
    [
      new NotFoundError('No such location.', { code: 'location_not_found' }),
      'NotFoundError',
      'location_not_found',
      404,
    ],
    [new ForbiddenError(), 'ForbiddenError', 'forbidden', 403],
    [new UnauthorizedError(), 'UnauthorizedError', 'unauthorized', 401],
    [new ConflictError('duplicate_file', 'This file was already imported.'), 'ConflictError', 'duplicate_file', 409],
    [new PayloadTooLargeError('The file is larger than 200 MB.'), 'PayloadTooLargeError', 'file_too_large', 413],
    [
      new UnrecoverableImportError('unusable_header', 'The header is missing Balance.'),
      'UnrecoverableImportError',
      'unusable_header',
      422,
    ],
  ])('%s carries its name, code and status', (error, name, code, status) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('keeps the message and the cause', () => {
    const cause = new Error('ECONNRESET');
    const e = new UnrecoverableImportError('unusable_header', 'The header is missing Balance.', { cause });
    expect(e.message).toBe('The header is missing Balance.');
    expect(e.cause).toBe(cause);
  });

  it('carries conflict details', () => {
    const e = new ConflictError('stale_snapshot', 'A newer aging report was already applied.', {
      details: { lastReportDate: '2026-11-20' },
    });
    expect(e.details).toEqual({ lastReportDate: '2026-11-20' });
    expect(new ConflictError('x', 'y').details).toBeUndefined();
  });
});

describe('coerceError', () => {
  it('returns an Error unchanged', () => {
    const e = new TypeError('boom');
    expect(coerceError(e)).toBe(e);
  });

  it('wraps a thrown string', () => {
    const e = coerceError('boom');
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('boom');
  });

  it('keeps the message of an error-like object', () => {
    const thrown = { message: 'connection terminated', code: '57P01' };
    const e = coerceError(thrown);
    expect(e.message).toBe('connection terminated');
    expect(e.cause).toBe(thrown);
  });

  it('describes anything else', () => {
    expect(coerceError(42).message).toBe('Non-error value thrown: 42');
    expect(coerceError(undefined).message).toBe('Non-error value thrown: undefined');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(coerceError(circular).message).toBe('Non-error value thrown: [object Object]');
  });
});

describe('safeError', () => {
  it('keeps codes, names and code locations, never a message or a Postgres detail', () => {
    const pgError = Object.assign(new Error('null value in column "payer_id" violates not-null constraint'), {
      code: '23502',
      detail: 'Failing row contains (Rivera, Ana, 1962-03-14).',
      table: 'claims',
      column: 'payer_id',
    });
    const wrapped = new Error('Its columns are: Rivera, Ana, 555-0100', { cause: pgError });
    const safe = safeError(wrapped);
    const text = JSON.stringify(safe);
    expect(text).not.toMatch(/Rivera|555-0100|not-null/);
    expect(safe).toMatchObject({ type: 'Error', cause: { code: '23502', table: 'claims', column: 'payer_id' } });
    expect(safe.stack).toMatch(/^\s+at /);
  });
});
