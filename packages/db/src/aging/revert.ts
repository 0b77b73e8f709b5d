import type pg from 'pg';
import { ConflictError } from '@ledgerport/core';
import { findHalfAppliedImport } from '../imports/location-order.js';
import { lockImport } from '../imports/lock-import.js';
import { revertImport } from '../imports/transitions.js';
import { tryWithLocationLock } from '../locks/location-lock.js';
import { withTransaction } from '../transaction.js';
import { undoClaimChanges } from './merge.js';

/** What staff read when a worker holds the location: the request does not wait for it. */
export const LOCATION_LOCKED_MESSAGE = 'Another file for this location is being applied right now; try again in a few minutes.';

/**
 * Reverts a completed aging import, which must be its location's latest: under the location lock, in
 * one transaction, claims go back to their before-images and the location's report date to the
 * previous import's. When a worker holds the location the answer is a conflict at once, not a wait
 * as long as its merge.
 */
export async function revertAgingImport(pool: pg.Pool, imp: { id: string; locationId: string | null; finishedAt: Date | null }, userId: string): Promise<void> {
  const locationId = imp.locationId;
  if (!locationId) throw new ConflictError('not_revertible', 'This import has no location to revert.');
  const r = await tryWithLocationLock(pool, locationId, (lock) =>
    withTransaction(pool, async (tx) => {
      const s = await lockImport(tx, imp.id);
      if (s.status !== 'completed') throw new ConflictError('not_revertible', `Only a completed import can be reverted; this one is ${s.status}.`);
      const later = await tx.query<{ original_name: string }>(
        `select original_name from imports where location_id = $1 and kind = 'aging' and status = 'completed' and id <> $2 and finished_at > $3
         order by finished_at desc limit 1`,
        [locationId, imp.id, imp.finishedAt],
      );
      const busy = await findHalfAppliedImport(tx, locationId, imp.id);
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
      await undoClaimChanges(tx, s, lock);
      if (!(await revertImport(tx, imp.id, userId)))
        throw new ConflictError('not_revertible', 'This import changed while you were looking; reload it.');
      await tx.query(`update locations set last_report_date = (select report_date from imports where id = $2) where id = $1`, [
        locationId,
        s.previousImportId,
      ]);
    }),
  );
  if (!r.locked) throw new ConflictError('location_busy', LOCATION_LOCKED_MESSAGE);
}
