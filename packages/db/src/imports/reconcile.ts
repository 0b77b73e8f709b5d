import type pg from 'pg';
import { inTransaction } from '../transaction.js';
import { failImport } from './transitions.js';

/**
 * The queries of the reconciler, which finds imports Postgres calls queued or running that no live
 * job in Redis owns (a worker's job failed for good, a queue flushed, Redis restarted without its
 * data) and puts them right. All of them run on the connection that holds the reconcile lock.
 */

/** Held by one reconciler at a time, whatever the number of workers; see withReconcileLock. */
export interface ReconcileLock {
  readonly client: pg.PoolClient;
  /** set when a rollback on the client failed: the connection is then discarded */
  readonly tx: { broken: boolean };
}

/** A two-key advisory lock: its key space never meets the one-key location locks'. */
const LOCK_SQL = `hashtext('ledgerport'), hashtext('reconcile-imports')`;

/**
 * Runs fn under a session advisory lock on a connection of its own; when another process holds the
 * lock it returns at once ({ ran: false }) rather than waiting: that process is doing the same work.
 * A session lock dies with its connection, so a worker killed mid-run leaves nothing held.
 */
export async function withReconcileLock<T>(
  pool: pg.Pool,
  fn: (lock: ReconcileLock) => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  const client = await pool.connect();
  const tx = { broken: false };
  try {
    const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${LOCK_SQL}) as locked`);
    if (!rows[0]?.locked) return { ran: false };
    try {
      return { ran: true, result: await fn({ client, tx }) };
    } finally {
      await client.query(`select pg_advisory_unlock(${LOCK_SQL})`).catch(() => {
        tx.broken = true;
      });
    }
  } finally {
    client.release(tx.broken);
  }
}

export interface UnfinishedImport {
  id: string;
  status: 'queued' | 'running';
  kind: string;
  cancelRequested: boolean;
  /** how many times a worker has claimed it: a claim after this was read means someone owns it */
  attempts: number;
  updatedAt: Date;
}

/**
 * Queued or running imports nothing has touched for `graceMs`: a running import's worker moves its
 * updated_at with every chunk, and the API enqueues a new import within milliseconds of inserting it,
 * so a quiet one is either waiting in the queue or owned by nobody. The caller asks Redis which.
 */
export async function listQuietUnfinishedImports(
  lock: ReconcileLock,
  graceMs: number,
  limit = 500,
): Promise<UnfinishedImport[]> {
  const { rows } = await lock.client.query<{
    id: string;
    status: 'queued' | 'running';
    kind: string;
    cancel_requested: boolean;
    attempts: number;
    updated_at: Date;
  }>(
    `select id, status, kind, cancel_requested, attempts, updated_at from imports
     where status in ('queued', 'running') and updated_at < now() - make_interval(secs => $1::double precision / 1000)
     order by updated_at limit $2`,
    [graceMs, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    kind: r.kind,
    cancelRequested: r.cancel_requested,
    attempts: r.attempts,
    updatedAt: r.updated_at,
  }));
}

/**
 * Fails an import whose job failed for good without the import being marked (BullMQ failed the job
 * itself, or its worker died while failing it), and tells the uploader as a worker's own failure does.
 * Only while it is still queued or running and no worker has claimed it since it was read (`attempts`
 * unchanged). Returns whether it did. What an aging import merged is undone before this (the undo
 * moves updated_at, so the guard is the claim count, not the time).
 */
export async function failUnownedImport(
  lock: ReconcileLock,
  f: { id: string; attempts: number; message: string; code: string },
): Promise<boolean> {
  return inTransaction(lock.client, (tx) => failImport(tx, f), lock.tx);
}
