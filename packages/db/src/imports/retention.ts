import type pg from 'pg';
import { withTransaction } from '../transaction.js';

/**
 * Imports whose stored file has outlived its practice's retention (counted from when the import
 * ended), oldest first; a discarded preview's file is not kept at all.
 */
export async function importsPastRetention(
  db: pg.Pool,
  now: Date,
  limit: number,
): Promise<Array<{ id: string; storageKey: string }>> {
  const { rows } = await db.query<{ id: string; storage_key: string }>(
    `select i.id, i.storage_key from imports i join practices p on p.id = i.practice_id
     where i.file_deleted_at is null and i.status in ('completed', 'failed', 'cancelled', 'reverted')
       and (i.finished_at < $1::timestamptz - make_interval(days => p.retention_days)
         or (i.status = 'cancelled' and i.last_error_code in ('discarded', 'expired')))
     order by i.finished_at limit $2`,
    [now, limit],
  );
  return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
}

/**
 * After its stored file is deleted: what the import read from the file's cells goes too (the rejected
 * rows as they were, the cell values quoted by its row errors, the first rows kept for mapping). Its
 * counts, totals, messages and the claims it applied stay.
 */
export async function forgetImportFile(db: pg.Pool, importId: string): Promise<void> {
  await withTransaction(db, async (client) => {
    await client.query('delete from import_rejected_rows where import_id = $1', [importId]);
    await client.query(`update import_row_errors set value = '' where import_id = $1 and value <> ''`, [importId]);
    await client.query('update imports set file_deleted_at = coalesce(file_deleted_at, now()), first_rows = null where id = $1', [
      importId,
    ]);
  });
}
