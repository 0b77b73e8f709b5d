import type pg from 'pg';
import { FAILURES_QUOTING_THE_FILE, FORGOTTEN_FAILURE_MESSAGE } from '@ledgerport/core';
import { deleteStagedClaims } from '../aging/staging.js';
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
 * rows as they were, the cell values its row errors hold and quote, the first rows and header kept for
 * mapping, what it staged, the claims its rejected rows named, and a failure message that quoted the
 * file, on the import and in its uploader's notification). Its counts, totals, the words of its row
 * errors, its failure code and the claims it applied stay.
 */
export async function forgetImportFile(db: pg.Pool, importId: string): Promise<void> {
  await withTransaction(db, async (client) => {
    await client.query('delete from import_rejected_rows where import_id = $1', [importId]);
    await client.query('delete from import_kept_claims where import_id = $1', [importId]);
    await client.query('delete from staged_rows where import_id = $1', [importId]);
    await deleteStagedClaims(client, importId);
    // A row error quotes its cell ("Rivera" is not a date) or names it (No patient has account number
    // 1234): the quotes are emptied and the value taken out of the words (a value of one or two
    // characters names no one, and taking it out would mangle the words around it).
    await client.query(
      `update import_row_errors
       set message = regexp_replace(case when length(value) >= 3 then replace(message, value, '…') else message end, '"[^"]*"', '"…"', 'g'),
           value = ''
       where import_id = $1 and (value <> '' or message like '%"%')`,
      [importId],
    );
    const { rows } = await client.query<{ quoted: boolean }>(
      `update imports set file_deleted_at = coalesce(file_deleted_at, now()), first_rows = null, header = null,
         last_error = case when last_error_code = any($2) then $3 else last_error end
       where id = $1 returning last_error_code = any($2) as quoted`,
      [importId, FAILURES_QUOTING_THE_FILE, FORGOTTEN_FAILURE_MESSAGE],
    );
    if (rows[0]?.quoted)
      await client.query(`update notifications set message = $2 where kind = 'import_failed' and link = '/imports/' || $1`, [
        importId,
        FORGOTTEN_FAILURE_MESSAGE,
      ]);
  });
}
