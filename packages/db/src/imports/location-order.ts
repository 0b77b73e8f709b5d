import type pg from 'pg';

/**
 * Another aging import of the location that is half-applied (it merged part of its file and is not
 * over: its retry is pending, or its undo is): it still owns the location's claims although it let
 * go of the location lock between attempts. Returns its file name, or null. `half_applied` is set by
 * the transaction that merges its first chunk and cleared by the one that finalizes it or undoes what
 * it merged, so however long its retries back off, no other file of the location lands on top of it;
 * one whose job is gone is failed and undone (or queued again) by the reconciler.
 */
export async function findHalfAppliedImport(
  db: pg.Pool | pg.PoolClient,
  locationId: string,
  exceptImportId: string,
): Promise<string | null> {
  const { rows } = await db.query<{ original_name: string }>(
    `select original_name from imports
     where location_id = $1 and kind = 'aging' and id <> $2 and half_applied and status in ('queued', 'running')
     limit 1`,
    [locationId, exceptImportId],
  );
  return rows[0]?.original_name ?? null;
}

/**
 * An aging import of the location uploaded before this one and not over (queued, or running): files of
 * a location are applied in the order they were uploaded, whichever worker takes which first, or an
 * older snapshot would land on a newer one. Returns its file name, or null. A waiting import whose job
 * was lost is queued again by the reconciler, so this never blocks a location for good.
 */
export async function findEarlierUnfinishedImport(
  db: pg.Pool | pg.PoolClient,
  locationId: string,
  importId: string,
): Promise<string | null> {
  const { rows } = await db.query<{ original_name: string }>(
    `select o.original_name from imports o
     where o.location_id = $1 and o.kind = 'aging' and o.id <> $2 and o.status in ('queued', 'running')
       and o.created_at < (select created_at from imports where id = $2)
     limit 1`,
    [locationId, importId],
  );
  return rows[0]?.original_name ?? null;
}
