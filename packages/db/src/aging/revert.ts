import type pg from 'pg';
import { ConflictError } from '@ledgerport/core';
import { findHalfAppliedImport, lockImport, undoClaimChanges } from './merge.js';

/**
 * Reverts a completed aging import, which must be its location's latest: under the location lock, in
 * one transaction, claims go back to their before-images and the location's report date to the
 * previous import's.
 */
export async function revertAgingImport(pool: pg.Pool, imp: { id: string; locationId: string | null; finishedAt: Date | null }, userId: string): Promise<void> {
  if (!imp.locationId) throw new ConflictError('not_revertible', 'This import has no location to revert.');
  const client = await pool.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('ledgerport:location:' || $1))`, [imp.locationId]);
    try {
      await client.query('begin');
      const s = await lockImport(client, imp.id);
      if (s.status !== 'completed') throw new ConflictError('not_revertible', `Only a completed import can be reverted; this one is ${s.status}.`);
      const later = await client.query<{ original_name: string }>(
        `select original_name from imports where location_id = $1 and kind = 'aging' and status = 'completed' and id <> $2 and finished_at > $3
         order by finished_at desc limit 1`,
        [imp.locationId, imp.id, imp.finishedAt],
      );
      const busy = await findHalfAppliedImport(client, imp.locationId, imp.id);
      if (busy) {
        throw new ConflictError(
          'location_busy',
          `${busy} is being applied to this location right now. Revert once it has finished (or failed).`,
        );
      }
      if (later.rows[0]) {
        throw new ConflictError(
          'not_latest',
          `Only the latest import of a location can be reverted. Revert ${later.rows[0].original_name} first, then this one.`,
        );
      }
      await undoClaimChanges(client, s);
      await client.query(
        `update imports set status = 'reverted', reverted_by = $2, reverted_at = now(), updated_at = now() where id = $1`,
        [imp.id, userId],
      );
      await client.query(
        `update locations set last_report_date = (select report_date from imports where id = $2) where id = $1`,
        [imp.locationId, s.previousImportId],
      );
      await client.query('commit');
    } catch (e) {
      await client.query('rollback');
      throw e;
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('ledgerport:location:' || $1))`, [imp.locationId]);
    }
  } finally {
    client.release();
  }
}
