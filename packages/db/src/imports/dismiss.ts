import { sql } from 'kysely';
import type { Db } from '../connection.js';

/**
 * An administrator sets a failed import aside: it was dealt with (uploaded again, fixed at the
 * source), so it leaves "Needs attention". Only a failed import of the practice, once. A retry
 * brings it back (markForRetry clears it).
 */
export async function dismissFailedImport(db: Db, practiceId: string, id: string, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('imports')
    .set({ dismissed_at: sql`now()`, dismissed_by: userId })
    .where('id', '=', id)
    .where('practice_id', '=', practiceId)
    .where('status', '=', 'failed')
    .where('dismissed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
