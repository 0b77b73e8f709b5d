import type pg from 'pg';
import { ConflictError } from '@ledgerport/core';
import { findHalfAppliedImport } from '../imports/location-order.js';
import { lockImport, type ImportChunkState } from '../imports/lock-import.js';
import { revertImport } from '../imports/transitions.js';
import { tryWithLocationLock, type LocationLock } from '../locks/location-lock.js';
import { withTransaction, type Tx } from '../transaction.js';
import { setClaimFiguresFrom } from './claim-columns.js';
import { sharePracticePayers } from './payer-locks.js';

/**
 * Undoes everything an aging import applied to claims: claims it created are deleted, claims it
 * changed get their before-images back, claims it resolved are open again, and claims it only
 * confirmed point back at the import before it. Used by cancel (mid-commit) and by revert.
 */
export async function undoClaimChanges(client: Tx, s: ImportChunkState, lock: LocationLock): Promise<void> {
  if (lock.locationId !== s.locationId) throw new Error(`import ${s.id}: undone under the lock of another location`);
  // The before-images give claims back payers the import had moved them from: a payer merge beside the
  // undo would delete a payer the restored claims then point at.
  await sharePracticePayers(client, s.practiceId);
  // Before the before-images: an import finished before resolving stopped writing them has one for
  // each claim it resolved, and restoring it clears these two columns as well.
  await client.query(
    'update claims set resolved_at = null, resolved_by_import = null where location_id = $2 and resolved_by_import = $1',
    [s.id, s.locationId],
  );
  await client.query(
    `update claims c set ${setClaimFiguresFrom('v')}, last_seen_import = v.last_seen_import,
       resolved_at = v.resolved_at, resolved_by_import = v.resolved_by_import, updated_at = v.updated_at
     from claim_versions v where v.import_id = $1 and v.claim_id = c.id`,
    [s.id],
  );
  await client.query('delete from claim_versions where import_id = $1', [s.id]);
  await client.query('delete from claims where first_seen_import = $1', [s.id]);
  if (s.previousImportId) {
    await client.query('update claims set last_seen_import = $2 where location_id = $3 and last_seen_import = $1', [
      s.id,
      s.previousImportId,
      s.locationId,
    ]);
  }
}

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
