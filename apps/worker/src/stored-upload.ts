import { access, stat } from 'node:fs/promises';
import { UnrecoverableImportError, coerceError } from '@ledgerport/core';

/**
 * Before an import reads its file: a stored upload that is gone (deleted, lost with a disk) fails the
 * import at once with a message saying so, instead of a stack trace and a round of retries that cannot
 * bring it back. An upload directory missing altogether is this worker's problem, not the file's (the
 * shared directory not mounted here): that error is retried like any other.
 */
export async function assertStoredUpload(uploadDir: string, filePath: string, originalName: string): Promise<void> {
  try {
    await access(filePath);
    return;
  } catch (e) {
    // Node's fs errors are read by shape: under a test runner they come from another realm.
    if ((e as { code?: unknown } | null)?.code !== 'ENOENT') throw coerceError(e);
  }
  try {
    await stat(uploadDir);
  } catch (e) {
    throw new Error(`UPLOAD_DIR (${uploadDir}) is not reachable from this worker; mount the shared upload directory`, {
      cause: e,
    });
  }
  throw new UnrecoverableImportError(
    'stored_file_missing',
    `The uploaded file ${originalName} is no longer stored on the server, so it cannot be imported. Nothing from it was applied; please upload the file again.`,
  );
}
