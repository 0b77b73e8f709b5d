import { StorageFullError, StorageUnavailableError, storageFailure } from './upload-storage.js';

const fsError = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

it('calls a full disk or quota "no room" (507) and keeps the cause for the operator', () => {
  for (const code of ['ENOSPC', 'EDQUOT']) {
    const err = storageFailure(fsError(code));
    expect(err).toBeInstanceOf(StorageFullError);
    expect(err.status).toBe(507);
    expect(err.code).toBe('storage_full');
    expect((err.cause as Error).message).toMatch(code);
  }
});

it('calls a directory that cannot be written "cannot store" (503)', () => {
  for (const code of ['EACCES', 'EROFS', 'ENOTDIR', 'EPERM']) {
    const err = storageFailure(fsError(code));
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/nothing was created/);
  }
});
