import { FAILURES_QUOTING_THE_FILE } from '@ledgerport/core';
import type { ImportCounters, ImportStatus } from '../schema.js';
import type { Tx } from '../transaction.js';

/**
 * The import state machine: every change of an import's status is one function here, with the
 * statuses it accepts in its WHERE, run in the caller's transaction (the `Tx` proves there is one).
 * Each returns whether it happened; a caller that finds it did not knows the import moved meanwhile
 * (another worker, a cancel, the reconciler) and leaves it alone. Writes that do not change the
 * status (checkpoints, counters, the file's layout) are in progress.ts. docs/architecture.md draws
 * the machine.
 *
 *   queued  → running    claimImport
 *   running → queued     requeueImport (no attempt spent), requeueAfterFailedAttempt
 *   running → ready      markReadyForSave (a preview staged), holdForReview (what it merged undone)
 *   running → completed  completeAgingImport, completePatientImport
 *   queued | running → failed          failImport (a worker's last attempt, or the reconciler)
 *   ready → queued       saveStagedImport (Save; an administrator's approves a review)
 *   ready → cancelled    discardImport, expireUnsavedImports
 *   queued | ready → cancelled         cancelUnstartedImport (no worker holds it)
 *   any unfinished → cancelled         cancelImport (a worker closes a cancel it was asked for)
 *   failed → queued      retryFailedImport, confirmEmptyReport
 *   completed → reverted revertImport
 */

const updated = (r: { rowCount: number | null }) => r.rowCount === 1;

/** A worker takes the import: queued, one its own earlier attempt left running, or a failed one BullMQ retries. */
export async function claimImport(tx: Tx, id: string): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now()
       where id = $1 and status in ('queued', 'running', 'failed')`,
      [id],
    ),
  );
}

/** Back to the queue without spending an attempt (the worker stops, the location is busy). */
export async function requeueImport(tx: Tx, id: string): Promise<boolean> {
  return updated(await tx.query(`update imports set status = 'queued', updated_at = now() where id = $1 and status = 'running'`, [id]));
}

/** An attempt failed and another one will follow: queued with what went wrong, for staff to see meanwhile. */
export async function requeueAfterFailedAttempt(tx: Tx, id: string, message: string, code: string): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'queued', last_error = $2, last_error_code = $3, updated_at = now() where id = $1 and status = 'running'`,
      [id, message, code],
    ),
  );
}

/** A preview is staged (or an aging preview waits for an administrator: `review`): it waits for Save. */
export async function markReadyForSave(tx: Tx, id: string, review: Record<string, unknown> | null): Promise<boolean> {
  return updated(
    await tx.query(`update imports set status = 'ready', review = $2, updated_at = now() where id = $1 and status = 'running'`, [
      id,
      review ? JSON.stringify(review) : null,
    ]),
  );
}

/**
 * An aging import whose snapshot needs an administrator, what it merged already undone: it waits as a
 * preview with its staged rows, and its merge counters (`counters`, without them) start again at Save.
 */
export async function holdForReview(tx: Tx, id: string, counters: ImportCounters, review: Record<string, unknown>): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'ready', phase = 'staged', mode = 'preview', commit_checkpoint = 0, rows_committed = 0,
         counters = $2, review = $3, half_applied = false, updated_at = now()
       where id = $1 and status = 'running'`,
      [id, counters, JSON.stringify(review)],
    ),
  );
}

/** An aging import is finalized: its snapshot closed. Returns what the completion message needs, or null. */
export async function completeAgingImport(
  tx: Tx,
  id: string,
  summary: ImportCounters,
): Promise<{ reportDate: string | null; rowsRead: number; rowsCommitted: number; rowsRejected: number; rowsWarned: number } | null> {
  const { rows } = await tx.query<{
    report_date: string | null;
    rows_read: number;
    rows_committed: number;
    rows_rejected: number;
    rows_warned: number;
  }>(
    `update imports set status = 'completed', phase = 'done', summary = $2, counters = $2, finished_at = now(), updated_at = now(),
       last_error = null, last_error_code = null, review = null, half_applied = false
     where id = $1 and status = 'running' returning report_date, rows_read, rows_committed, rows_rejected, rows_warned`,
    [id, summary],
  );
  const r = rows[0];
  return r
    ? {
        reportDate: r.report_date,
        rowsRead: r.rows_read,
        rowsCommitted: r.rows_committed,
        rowsRejected: r.rows_rejected,
        rowsWarned: r.rows_warned,
      }
    : null;
}

/** A patient-kind import is saved (in one transaction, so every staged row counts as committed). */
export async function completePatientImport(tx: Tx, id: string, summary: ImportCounters, rowsCommitted: number): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'completed', phase = 'done', summary = $2, counters = $2, rows_committed = $3,
         commit_checkpoint = stage_checkpoint, finished_at = now(), updated_at = now(), last_error = null, last_error_code = null
       where id = $1 and status = 'running'`,
      [id, summary, rowsCommitted],
    ),
  );
}

/**
 * Fails an import for good and tells its uploader. A worker's last attempt, or the reconciler for one
 * whose job failed without it (then `attempts`: only if no worker claimed it since the reconciler
 * read it). What an aging import merged must be undone first.
 */
export async function failImport(tx: Tx, f: { id: string; message: string; code: string; attempts?: number }): Promise<boolean> {
  return updated(
    await tx.query(
      `with f as (
         update imports set status = 'failed', last_error = $2, last_error_code = $3, finished_at = now(), updated_at = now()
         where id = $1 and status in ('queued', 'running') and ($4::int is null or attempts = $4)
         returning created_by, original_name
       )
       insert into notifications (user_id, kind, message, link)
       select created_by, 'import_failed',
         original_name || case when $3 = any($5::text[]) then ' could not be imported; open it to see what was wrong.' else ' could not be imported: ' || $2 end,
         '/imports/' || $1 from f`,
      // A message that quotes the file (its first row, its header) stays on the import, which only
      // its practice reads and whose reads are audited; the notification only points there.
      [f.id, f.message, f.code, f.attempts ?? null, FAILURES_QUOTING_THE_FILE],
    ),
  );
}

/** Save: a staged import (not being cancelled) is queued to be applied. An administrator's Save also approves what it closes. */
export async function saveStagedImport(tx: Tx, id: string, approvedBy: string | null): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set mode = 'commit', status = 'queued', updated_at = now(), resolve_approved_by = coalesce($2, resolve_approved_by)
       where id = $1 and status = 'ready' and not cancel_requested`,
      [id, approvedBy],
    ),
  );
}

/** Discard after review: nothing of a staged import was applied, and nothing will be. */
export async function discardImport(tx: Tx, id: string, userId: string): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'cancelled', phase = 'done', cancelled_by = $2, finished_at = now(), updated_at = now(),
         last_error = 'Discarded after review; nothing from this file was applied.', last_error_code = 'discarded'
       where id = $1 and status = 'ready'`,
      [id, userId],
    ),
  );
}

/** Staged imports nobody saved or discarded for this long are discarded by the maintenance job. */
export const STAGED_IMPORT_TTL_DAYS = 7;

/** Discards every staged import that waited for Save longer than STAGED_IMPORT_TTL_DAYS. Returns their ids. */
export async function expireUnsavedImports(tx: Tx, now: Date): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `update imports set status = 'cancelled', phase = 'done', finished_at = $1, updated_at = $1, last_error_code = 'expired',
       last_error = 'Discarded automatically: it waited for Save for more than ${STAGED_IMPORT_TTL_DAYS} days. Upload the file again to import it.'
     where status = 'ready' and updated_at < $1::timestamptz - interval '${STAGED_IMPORT_TTL_DAYS} days'
     returning id`,
    [now],
  );
  return rows.map((r) => r.id);
}

/** Cancel of an import no worker holds (queued, or staged and waiting): closed at once. */
export async function cancelUnstartedImport(tx: Tx, id: string): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'cancelled', phase = 'done', finished_at = now(), updated_at = now(),
         last_error = 'Cancelled before it was applied; nothing from this file was applied.', last_error_code = 'cancelled'
       where id = $1 and status in ('queued', 'ready') and commit_checkpoint = 0`,
      [id],
    ),
  );
}

/** A worker closes an import it was asked to cancel, what it merged already undone in the same transaction. */
export async function cancelImport(tx: Tx, id: string): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'cancelled', phase = 'done', finished_at = now(), updated_at = now(), half_applied = false,
         last_error = 'Cancelled before it finished; nothing from this file was applied.', last_error_code = 'cancelled'
       where id = $1 and status in ('queued', 'running', 'ready', 'failed')`,
      [id],
    ),
  );
}

/** An administrator's Retry of a failed import (it leaves "dismissed" too). */
export async function retryFailedImport(tx: Tx, id: string, userId: string): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'queued', retried_by = $2, last_error = null, last_error_code = null, finished_at = null,
         dismissed_at = null, dismissed_by = null, updated_at = now()
       where id = $1 and status = 'failed'`,
      [id, userId],
    ),
  );
}

/**
 * An administrator confirms that a location really has no open claims: the empty report that failed
 * for it is queued again, allowed to resolve them.
 */
export async function confirmEmptyReport(tx: Tx, id: string, userId: string): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'queued', retried_by = $2, resolve_approved_by = $2, last_error = null, last_error_code = null,
         finished_at = null, updated_at = now()
       where id = $1 and status = 'failed' and last_error_code = 'no_claims'`,
      [id, userId],
    ),
  );
}

/** A completed import whose changes were just undone in this transaction. */
export async function revertImport(tx: Tx, id: string, userId: string): Promise<boolean> {
  return updated(
    await tx.query(
      `update imports set status = 'reverted', reverted_by = $2, reverted_at = now(), updated_at = now() where id = $1 and status = 'completed'`,
      [id, userId],
    ),
  );
}

/**
 * Flags a queued, running or staged import to stop (a worker closes it at its next chunk, or the
 * caller closes it at once with cancelUnstartedImport). Not a change of status: returns the status it
 * has, or null when it is over already.
 */
export async function requestCancel(tx: Tx, id: string, userId: string): Promise<ImportStatus | null> {
  const { rows } = await tx.query<{ status: ImportStatus }>(
    `update imports set cancel_requested = true, cancelled_by = $2, updated_at = now()
     where id = $1 and status in ('queued', 'running', 'ready') returning status`,
    [id, userId],
  );
  return rows[0]?.status ?? null;
}
