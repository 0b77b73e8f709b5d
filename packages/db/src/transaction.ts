import type pg from 'pg';

declare const inTransactionBrand: unique symbol;

/**
 * A client between BEGIN and COMMIT. Only withTransaction and inTransaction make one, so a function
 * that takes a `Tx` (every state change of an import, lockImport) cannot be called outside a
 * transaction: the type proves what a `lockHeld?: boolean` would only claim.
 */
export type Tx = pg.PoolClient & { readonly [inTransactionBrand]: true };

/** Runs fn inside BEGIN/COMMIT on one pooled client; any throw rolls back. */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const tx = { broken: false };
  try {
    return await inTransaction(client, fn, tx);
  } finally {
    client.release(tx.broken);
  }
}

/**
 * BEGIN/COMMIT on a client the caller holds (for work that keeps session state, such as a temp
 * table, across several transactions); any throw rolls back. A failed rollback sets `tx.broken`:
 * release the client with it so the pool discards the connection.
 */
export async function inTransaction<T>(
  client: pg.PoolClient,
  fn: (tx: Tx) => Promise<T>,
  tx: { broken: boolean },
): Promise<T> {
  await client.query('begin');
  try {
    const result = await fn(client as Tx);
    await client.query('commit');
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => {
      tx.broken = true;
    });
    throw e;
  }
}

/**
 * For the rest of the transaction, keeps the planner from scanning whole tables where a chunk's
 * statements look rows up by key (staged rows of the import, the location's claims). Without fresh
 * statistics a table that grew since its last ANALYZE looks small, and a sequential scan per looked-up
 * row turns an import quadratic; ANALYZE of a million-row table every few chunks costs more than the
 * merge itself. A penalty, not a ban: a statement with no index to use still runs. The penalty
 * inflates cost estimates past jit_above_cost, and JIT-compiling a chunk's statements took longer
 * (~0.4 s) than running them, so JIT is off too.
 */
export async function preferIndexLookups(client: pg.PoolClient): Promise<void> {
  await client.query('set local enable_seqscan = off; set local jit = off');
}
