import type pg from 'pg';

declare const heldBrand: unique symbol;

/**
 * Proof that the caller holds its location's lock: only withLocationLock and tryWithLocationLock make
 * one, and a function that may only run under the lock (a merge, an undo of claims) takes it as a
 * parameter.
 */
export interface LocationLock {
  readonly locationId: string;
  readonly [heldBrand]: true;
}

/**
 * Aging files of one location must not interleave: each is a snapshot, and resolving "what this file
 * no longer lists" is only right if no other file of that location is half-merged. A session advisory
 * lock on a dedicated connection serializes them and dies with the connection if the process does.
 * The key is written here only (the same text any older process hashes).
 */
const lockKey = (locationId: string) => `ledgerport:location:${locationId}`;

/** Runs fn holding the location's lock, waiting for it as long as another holder keeps it (a worker). */
export async function withLocationLock<T>(pool: pg.Pool, locationId: string, fn: (lock: LocationLock) => Promise<T>): Promise<T> {
  const r = await holding(pool, locationId, 'pg_advisory_lock', fn);
  if (!r.locked) throw new Error(`location ${locationId}: the lock was not taken`);
  return r.result;
}

/**
 * Runs fn holding the location's lock when it is free; when another holds it, returns at once
 * ({ locked: false }) instead of waiting (an HTTP request must not wait out a worker's merge).
 */
export async function tryWithLocationLock<T>(
  pool: pg.Pool,
  locationId: string,
  fn: (lock: LocationLock) => Promise<T>,
): Promise<{ locked: true; result: T } | { locked: false }> {
  return holding(pool, locationId, 'pg_try_advisory_lock', fn);
}

async function holding<T>(
  pool: pg.Pool,
  locationId: string,
  take: 'pg_advisory_lock' | 'pg_try_advisory_lock',
  fn: (lock: LocationLock) => Promise<T>,
): Promise<{ locked: true; result: T } | { locked: false }> {
  const client = await pool.connect();
  let broken = false;
  try {
    if (take === 'pg_advisory_lock') await client.query('select pg_advisory_lock(hashtext($1))', [lockKey(locationId)]);
    else {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [lockKey(locationId)]);
      if (!rows[0]?.locked) return { locked: false };
    }
    try {
      return { locked: true, result: await fn({ locationId } as LocationLock) };
    } finally {
      // A connection whose unlock failed may still hold the lock: the pool must not lend it out again.
      await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey(locationId)]).catch(() => {
        broken = true;
      });
    }
  } finally {
    client.release(broken);
  }
}
