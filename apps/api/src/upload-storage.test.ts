import { StorageWriteError } from '@ledgerport/storage';
import { StorageFullError, StorageUnavailableError, storageFailure } from './upload-storage.js';

const writeError = (reason: 'full' | 'unavailable') =>
  new StorageWriteError(reason, `could not write: ${reason}`, { cause: new Error('ENOSPC: no space left') });

it('calls a full disk or quota "no room" (507) and keeps the cause for the operator', () => {
  const err = storageFailure(writeError('full'));
  expect(err).toBeInstanceOf(StorageFullError);
  expect(err.status).toBe(507);
  expect(err.code).toBe('storage_full');
  expect((err.cause as Error).message).toMatch(/full/);
});

it('calls a store that cannot be written "cannot store" (503)', () => {
  const err = storageFailure(writeError('unavailable'));
  expect(err).toBeInstanceOf(StorageUnavailableError);
  expect(err.status).toBe(503);
  expect(err.message).toMatch(/nothing was created/);
});
