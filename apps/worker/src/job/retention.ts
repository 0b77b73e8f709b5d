import type pg from 'pg';
import { dropFinishedStagingPartitions, forgetImportFile, importsPastRetention } from '@ledgerport/db';
import type { UploadStore } from '@ledgerport/storage';

const BATCH = 200;

/**
 * Applies the retention policy: every stored file (in a folder or a bucket) past its practice's retention (or of a discarded
 * import) is deleted, then what the import read from its cells. Deleting first: a crash between the
 * two leaves the import to be found again, and a file already gone is no error.
 */
export async function applyRetention(pool: pg.Pool, store: UploadStore, now: Date): Promise<number> {
  let done = 0;
  for (;;) {
    const batch = await importsPastRetention(pool, now, BATCH);
    for (const imp of batch) {
      await store.remove(imp.storageKey);
      await forgetImportFile(pool, imp.id);
      await dropFinishedStagingPartitions(pool, imp.id);
      done++;
    }
    if (batch.length < BATCH) return done;
  }
}
