import type pg from 'pg';
import { formatCents } from '@ledgerport/core';
import {
  deleteStagedClaims,
  getImport,
  type Db,
  lockImport,
  mergeClaimsChunk,
  nextMergeBound,
  resolveMissingClaims,
  undoClaimChanges,
  withTransaction,
  type ImportCounters,
  type ImportRecord,
} from '@ledgerport/db';
import { CheckpointMoved, ImportCancelled, WorkerStopping } from './signals.js';
import { assertNotOlder } from './aging-stage.js';

export interface CommitDeps {
  pool: pg.Pool;
  db: Db;
  chunkRows: number;
  shouldStop: () => boolean;
  onChunk: (p: { rowsCommitted: number }) => Promise<void>;
}

/**
 * Imports of one location must not interleave: each file is a snapshot, and resolving "what this
 * file no longer lists" is only right if no other file of that location is half-merged. A session
 * advisory lock on a dedicated connection serializes them and dies with the connection if the worker
 * does.
 */
async function withLocationLock<T>(pool: pg.Pool, locationId: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('ledgerport:location:' || $1))`, [locationId]);
    try {
      return await fn();
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('ledgerport:location:' || $1))`, [locationId]);
    }
  } finally {
    client.release();
  }
}

/**
 * Merges the staged rows into claims chunk by chunk, each chunk one transaction that also advances
 * the commit checkpoint, then closes the snapshot and marks the import completed.
 */
export async function commitAgingImport(imp: ImportRecord, deps: CommitDeps): Promise<void> {
  if (!imp.locationId) throw new Error('aging import without a location');
  await withLocationLock(deps.pool, imp.locationId, async () => {
    // Checked again under the lock: a newer snapshot may have been applied while this one was staging.
    const fresh = await getImport(deps.db, imp.id);
    if (fresh?.reportDate && fresh.commitCheckpoint === 0) await assertNotOlder(deps.pool, imp, fresh.reportDate);
    await deps.pool.query(
      `update imports set phase = 'committing', phase_started_at = now(), previous_import_id = coalesce(previous_import_id,
         (select p.id from imports p where p.location_id = $2 and p.kind = 'aging' and p.status = 'completed' and p.id <> $1
          order by p.finished_at desc limit 1)), updated_at = now()
       where id = $1 and phase <> 'committing'`,
      [imp.id, imp.locationId],
    );
    let checkpoint = imp.commitCheckpoint;
    // Fresh statistics, or the planner takes a just-filled staging table (and a claims table a first
    // import is filling) for empty and joins each staged row against every claim of the location:
    // quadratic, seconds per chunk at 100k claims. Claims are re-analyzed as they double.
    await deps.pool.query('analyze staged_claims');
    await deps.pool.query('analyze claims');
    let chunkNo = 0;
    for (;;) {
      chunkNo++;
      if (chunkNo >= 4 && (chunkNo & (chunkNo - 1)) === 0) await deps.pool.query('analyze claims');
      const done = await withTransaction(deps.pool, async (client) => {
        const s = await lockImport(client, imp.id);
        if (s.commitCheckpoint !== checkpoint) throw new CheckpointMoved(imp.id, checkpoint, s.commitCheckpoint);
        if (s.cancelRequested) throw new ImportCancelled();
        const bound = await nextMergeBound(client, imp.id, checkpoint, deps.chunkRows);
        if (bound === null) return true;
        const m = await mergeClaimsChunk(client, s, checkpoint, bound, imp.originalName);
        const counters = add(s.counters, {
          claimsNew: m.claimsNew,
          claimsUpdated: m.claimsUpdated,
          claimsUnchanged: m.claimsUnchanged,
          payersCreated: m.payersCreated,
          balanceCentsApplied: m.balanceCentsApplied,
        });
        await client.query(
          `update imports set commit_checkpoint = $2, rows_committed = rows_committed + $3, counters = $4, updated_at = now() where id = $1`,
          [imp.id, bound, m.rows, counters],
        );
        checkpoint = bound;
        await deps.onChunk({ rowsCommitted: m.rows });
        return false;
      });
      if (done) break;
      if (deps.shouldStop()) throw new WorkerStopping();
    }
    await finalize(imp, deps.pool);
  });
}

async function finalize(imp: ImportRecord, pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    const s = await lockImport(client, imp.id);
    if (s.cancelRequested) throw new ImportCancelled();
    const resolved = await resolveMissingClaims(client, s);
    const summary: ImportCounters = add(s.counters, { claimsResolved: resolved });
    await deleteStagedClaims(client, imp.id);
    await client.query(
      `update imports set status = 'completed', phase = 'done', summary = $2, counters = $2, finished_at = now(), updated_at = now(),
         last_error = null, last_error_code = null
       where id = $1`,
      [imp.id, summary],
    );
    await client.query(
      `update locations set last_report_date = greatest(coalesce(last_report_date, $2::date), $2::date) where id = $1`,
      [imp.locationId, (await client.query<{ report_date: string }>('select report_date from imports where id = $1', [imp.id])).rows[0]?.report_date],
    );
    const n = summary;
    await client.query(
      `insert into notifications (user_id, kind, message, link) values ($1, 'import_completed', $2, $3)`,
      [
        imp.createdBy,
        `${imp.originalName} was imported: ${n.claimsNew ?? 0} new, ${n.claimsUpdated ?? 0} updated, ${n.claimsUnchanged ?? 0} unchanged, ` +
          `${n.claimsResolved ?? 0} resolved claims; balance ${formatCents(n.balanceCentsApplied ?? 0)}.`,
        `/imports/${imp.id}`,
      ],
    );
  });
}

/** Cancels an import mid-way: what its committed chunks changed is undone in the same transaction. */
export async function closeCancelledImport(imp: ImportRecord, pool: pg.Pool): Promise<void> {
  const run = async () =>
    withTransaction(pool, async (client) => {
      const s = await lockImport(client, imp.id);
      if (s.commitCheckpoint > 0 && s.locationId) await undoClaimChanges(client, s);
      await deleteStagedClaims(client, imp.id);
      await client.query(
        `update imports set status = 'cancelled', phase = 'done', finished_at = now(), updated_at = now(),
           last_error = 'Cancelled before it finished; nothing from this file was applied.', last_error_code = 'cancelled'
         where id = $1`,
        [imp.id],
      );
    });
  // Taken after any commit loop has released it: undoing must not interleave with another file's merge.
  if (imp.locationId) await withLocationLock(pool, imp.locationId, run);
  else await run();
}

function add(a: ImportCounters, b: ImportCounters): ImportCounters {
  const out: Record<string, number> = { ...(a as Record<string, number>) };
  for (const [k, v] of Object.entries(b) as Array<[string, number | undefined]>) out[k] = (out[k] ?? 0) + (v ?? 0);
  return out;
}
