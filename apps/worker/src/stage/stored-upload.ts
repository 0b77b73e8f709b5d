import { UnrecoverableImportError } from '@ledgerport/core';
import type { StoredFile } from './stage-file.js';

/**
 * Before an import reads its file: a stored upload that is gone (deleted, lost with a disk or a
 * bucket's lifecycle rule) fails the import at once with a message saying so, instead of a stack
 * trace and a round of retries that cannot bring it back. A store that does not answer (the shared
 * folder not mounted here, the bucket unreachable) is this worker's problem, not the file's: the
 * store's StorageUnreachable is retried like any other error.
 */
export async function assertStoredUpload(upload: StoredFile, originalName: string): Promise<void> {
  if (await upload.store.stat(upload.key)) return;
  throw new UnrecoverableImportError(
    'stored_file_missing',
    `The uploaded file ${originalName} is no longer stored on the server, so it cannot be imported. Nothing from it was applied; please upload the file again.`,
  );
}
