import type pg from 'pg';
import type { ImportCounters, ImportNotice } from '../schema.js';
import type { Tx } from '../transaction.js';

/**
 * Writes to an import that do not change its status: its phase, its checkpoints and counts, what it
 * learnt of the file. The status itself changes only in transitions.ts; nothing outside this folder
 * writes to imports (imports-one-writer.test.ts).
 */

type Queryable = pg.Pool | pg.PoolClient;

/** Reading the file starts (or resumes). */
export async function markStaging(db: Queryable, id: string): Promise<void> {
  await db.query(`update imports set phase = 'staging', phase_started_at = coalesce(phase_started_at, now()) where id = $1`, [id]);
}

/** A patient-kind import starts its one-transaction Save. */
export async function markCommitting(tx: Tx, id: string): Promise<void> {
  await tx.query(`update imports set phase = 'committing', phase_started_at = now() where id = $1`, [id]);
}

/** What reading the top of the file decided: its encoding, header, format, report date and separator. */
export async function recordFileLayout(
  db: Queryable,
  id: string,
  l: { encoding: string | null; header: string[]; format: string | null; reportDate: string | null; delimiter: string | null },
): Promise<void> {
  await db.query(
    `update imports set encoding = $2, header = $3, format = coalesce($4, format), report_date = coalesce($5, report_date), delimiter = $6, updated_at = now() where id = $1`,
    [id, l.encoding, JSON.stringify(l.header), l.format, l.reportDate, l.delimiter],
  );
}

/** The first rows of a file whose layout was not recognised, kept so staff can map its columns. */
export async function keepFirstRows(db: Queryable, id: string, rows: string[][]): Promise<void> {
  await db.query('update imports set first_rows = $2 where id = $1', [id, JSON.stringify(rows)]);
}

/** A chunk staged: the stage checkpoint moves past it, in the transaction that staged its rows. */
export async function recordStagedChunk(
  tx: Tx,
  id: string,
  c: {
    checkpoint: number;
    rowsRead: number;
    rowsAccepted: number;
    rowsRejected: number;
    rowsWarned: number;
    bytesRead: number;
    counters: ImportCounters;
    final: boolean;
    notices: ImportNotice[] | null;
  },
): Promise<void> {
  await tx.query(
    `update imports set stage_checkpoint = $2, rows_read = rows_read + $3, rows_accepted = rows_accepted + $4,
       rows_rejected = rows_rejected + $5, rows_warned = rows_warned + $6, bytes_read = $7, counters = $8,
       phase = case when $9 then 'staged' else 'staging' end, notices = coalesce($10, notices), updated_at = now()
     where id = $1`,
    [
      id,
      c.checkpoint,
      c.rowsRead,
      c.rowsAccepted,
      c.rowsRejected,
      c.rowsWarned,
      c.bytesRead,
      c.counters,
      c.final,
      c.notices === null ? null : JSON.stringify(c.notices),
    ],
  );
}

/**
 * A chunk merged into claims: the commit checkpoint moves past it in the same transaction, and the
 * import is half-applied from now until it is finalized or what it merged is undone.
 */
export async function recordMergedChunk(tx: Tx, id: string, m: { through: number; rows: number; counters: ImportCounters }): Promise<void> {
  await tx.query(
    `update imports set commit_checkpoint = $2, rows_committed = rows_committed + $3, counters = $4, half_applied = true, updated_at = now()
     where id = $1`,
    [id, m.through, m.rows, m.counters],
  );
}

/**
 * What an import merged was undone (its last attempt failed): nothing of it is applied, so it is no
 * longer half-applied, and its merge counters (`counters`, without them) start again.
 */
export async function clearMergeProgress(tx: Tx, id: string, counters: ImportCounters): Promise<void> {
  await tx.query(
    `update imports set commit_checkpoint = 0, rows_committed = 0, counters = $2, half_applied = false, updated_at = now() where id = $1`,
    [id, counters],
  );
}

/**
 * Puts the import's reading back to before its first line (its staged rows are deleted by the
 * caller, in the same transaction, and what it merged undone).
 */
export async function resetReadingProgress(tx: Tx, id: string): Promise<void> {
  await tx.query(
    `update imports set stage_checkpoint = 0, commit_checkpoint = 0, rows_read = 0, rows_accepted = 0, rows_rejected = 0,
       rows_warned = 0, rows_committed = 0, bytes_read = 0, counters = '{}', notices = '[]', phase = 'staging', phase_started_at = now(),
       previous_import_id = null, half_applied = false,
       updated_at = now()
     where id = $1`,
    [id],
  );
}

/**
 * Notes which import this one follows at the location, before it changes any claim: undoing it
 * (cancel, a failure, revert) points the claims it only confirmed back at that import.
 */
export async function rememberPreviousImport(
  db: Queryable,
  imp: { id: string; locationId: string | null },
  phase: 'committing' | 'staging',
): Promise<void> {
  await db.query(
    `update imports set phase = $3, phase_started_at = case when phase = $3 then phase_started_at else now() end,
       previous_import_id = coalesce(previous_import_id,
         (select p.id from imports p where p.location_id = $2 and p.kind = 'aging' and p.status = 'completed' and p.id <> $1
          order by p.finished_at desc limit 1)), updated_at = now()
     where id = $1`,
    [imp.id, imp.locationId, phase],
  );
}

/** The day/month order the file proved, kept in the options where it stands like one named at upload. */
export async function keepDateOrderFromFile(tx: Tx, id: string, order: string): Promise<void> {
  await tx.query(
    `update imports set options = options || jsonb_build_object('dateOrder', $2::text, 'dateOrderFrom', 'file') where id = $1`,
    [id, order],
  );
}

/** Claims the file named only on rows it could not read, kept open as they are. */
export async function recordClaimsKeptOpen(db: Queryable, id: string, keptOpen: number): Promise<void> {
  await db.query(`update imports set counters = counters || jsonb_build_object('claimsKeptOpen', $2::int) where id = $1`, [id, keptOpen]);
}

/**
 * Closing the snapshot, progress between its statements: the location's claims compared with the file
 * so far and, once that is done, how many it is resolving. Each its own short statement.
 */
export async function recordClosingProgress(
  db: Queryable,
  id: string,
  progress: { claimsChecked?: number; claimsToResolve?: number; rowsSeconds?: number },
): Promise<void> {
  await db.query(`update imports set counters = counters || $2::jsonb, updated_at = now() where id = $1`, [id, progress]);
}

/** A batch of missing claims resolved: the counters move in the batch's transaction. */
export async function recordResolvedBatch(tx: Tx, id: string, counters: ImportCounters): Promise<void> {
  await tx.query(`update imports set counters = $2, updated_at = now() where id = $1`, [id, counters]);
}
