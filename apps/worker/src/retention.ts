import { rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { forgetImportFile, importsPastRetention } from '@ledgerport/db';

const BATCH = 200;

/**
 * Applies the retention policy: every stored file past its practice's retention (or of a discarded
 * import) is deleted, then what the import read from its cells. Deleting first: a crash between the
 * two leaves the import to be found again, and a file already gone is no error.
 */
export async function applyRetention(pool: pg.Pool, uploadDir: string, now: Date): Promise<number> {
  let done = 0;
  for (;;) {
    const batch = await importsPastRetention(pool, now, BATCH);
    for (const imp of batch) {
      await rm(storedFilePath(uploadDir, imp.storageKey), { force: true });
      await forgetImportFile(pool, imp.id);
      done++;
    }
    if (batch.length < BATCH) return done;
  }
}

/** The stored file of a key, which must stay inside UPLOAD_DIR whatever the key says. */
function storedFilePath(uploadDir: string, storageKey: string): string {
  const root = path.resolve(uploadDir);
  const file = path.resolve(root, storageKey);
  if (!file.startsWith(root + path.sep)) throw new Error(`storage key outside UPLOAD_DIR: ${storageKey}`);
  return file;
}
