import { DelayedError, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import type { Logger } from 'pino';
import { AppError, UnrecoverableImportError, coerceError, formatCents, isImportKind, todayIso } from '@ledgerport/core';
import {
  claimImport,
  failImport,
  findEarlierUnfinishedImport,
  findHalfAppliedImport,
  getImport,
  isDatabaseUnavailable,
  isRetryablePgError,
  markReadyForSave,
  markStaging,
  practiceTimeZone,
  rememberPreviousImport,
  requeueAfterFailedAttempt,
  requeueImport,
  withLocationLock,
  withTransaction,
  type Db,
  type ImportRecord,
  type LocationLock,
  type StagedClaim,
} from '@ledgerport/db';
import { processImportPayload, type ImportJob } from '@ledgerport/queue';
import type { UploadStore } from '@ledgerport/storage';
import {
  closeCancelledImport,
  assertLocationFree,
  finishAgingImport,
  mergeChunkAndMoveCheckpoint,
  startOverIfStagingLost,
  startOverInDateOrder,
  notifyReview,
  undoFailedAgingImport,
} from '../aging/commit.js';
import { agingRowHandler } from '../aging/stage.js';
import { assertStoredUpload } from '../stage/stored-upload.js';
import { commitPatientImport } from '../patients/commit.js';
import { patientRowHandler } from '../patients/stage.js';
import { stageFile, type RowHandler, type StageDeps, type StoredFile } from '../stage/stage-file.js';
import type { WorkbookLimits } from '../read/workbook-rows.js';
import {
  CheckpointMoved,
  DateOrderContradicted,
  ImportCancelled,
  ImportTakenOver,
  LocationBusy,
  WorkerStopping,
} from './attempt-interruptions.js';
import { assertSomethingToImport, reviewOfStagedAging } from '../stage/import-checks.js';
import type { WorkerMetrics } from '../worker-metrics.js';

export interface ProcessorDeps {
  db: Db;
  pool: pg.Pool;
  logger: Logger;
  /** where uploads are kept (a local folder or S3-compatible object storage) */
  store: UploadStore;
  chunkRows: number;
  /** claims compared per statement when a snapshot closes (CLOSE_SLICE_CLAIMS) */
  closeSliceClaims?: number;
  workbookLimits: WorkbookLimits;
  shouldStop: () => boolean;
  now?: () => Date;
  metrics?: WorkerMetrics;
}

/** How soon an import waiting for another one of its location looks again. */
const LOCATION_BUSY_RETRY_MS = 1_000;

const GENERIC_FAILURE =
  'Something went wrong on our side while importing this file. Nothing from it was half-applied; an administrator can retry it.';

/** The BullMQ processor for one import: stage, then (unless previewing) commit and finalize. */
export function createImportProcessor(deps: ProcessorDeps) {
  return async (job: ImportJob, token?: string): Promise<void> => {
    const { importId, requestId } = processImportPayload.parse(job.data);
    const imp = await getImport(deps.db, importId);
    if (!imp || ['completed', 'cancelled', 'reverted'].includes(imp.status)) return;
    const log = deps.logger.child({ importId, attempt: job.attemptsMade + 1, ...(requestId ? { requestId } : {}) });
    if (imp.cancelRequested) {
      await closeCancelledImport(imp, deps.pool);
      return;
    }
    /** Back to the queue without spending an attempt; the next worker resumes at the checkpoint. */
    const defer = async (ms: number): Promise<never> => {
      if (token) await job.moveToDelayed(Date.now() + ms, token);
      throw new DelayedError();
    };
    // Checked before the import is claimed, so waiting on another file of its location neither counts
    // as an attempt nor runs anything else; checked again under the location lock (LocationBusy).
    const busyWith =
      imp.locationId && imp.kind === 'aging'
        ? ((await findHalfAppliedImport(deps.pool, imp.locationId, imp.id)) ??
          (await findEarlierUnfinishedImport(deps.pool, imp.locationId, imp.id)))
        : null;
    if (busyWith) {
      log.info('location busy with another import; waiting');
      return defer(LOCATION_BUSY_RETRY_MS);
    }
    if (!(await withTransaction(deps.pool, (tx) => claimImport(tx, imp.id)))) return;
    log.info({ kind: imp.kind, phase: imp.phase }, 'import started');
    try {
      let current = imp;
      if (imp.kind === 'aging' && (await startOverIfStagingLost(imp, deps.pool))) {
        log.warn(
          'the rows this import had staged were lost (database restart?): reading the file again from the start',
        );
        current = (await getImport(deps.db, imp.id)) ?? imp;
      }
      try {
        await run(current, job, deps);
      } catch (e) {
        // Once at most: the file's dates proved the assumed day/month order wrong, so it is read again
        // from the start in the order they prove (which then stands).
        if (!(e instanceof DateOrderContradicted) || current.kind !== 'aging') throw e;
        log.info({ line: e.line, order: e.order }, 'the file proves another date order: reading it again');
        await startOverInDateOrder(current, e.order, deps.pool);
        await run((await getImport(deps.db, imp.id)) ?? current, job, deps);
      }
    } catch (e) {
      const err = coerceError(e);
      if (err instanceof ImportCancelled) {
        log.info('import cancelled');
        await closeCancelledImport(imp, deps.pool);
        return;
      }
      if (err instanceof WorkerStopping || err instanceof LocationBusy) {
        if (err instanceof LocationBusy) log.info('location busy with another import; waiting');
        await withTransaction(deps.pool, (tx) => requeueImport(tx, imp.id));
        return defer(err instanceof LocationBusy ? LOCATION_BUSY_RETRY_MS : 200);
      }
      if (err instanceof CheckpointMoved || err instanceof ImportTakenOver) throw err;
      // Postgres is down, not the file at fault: waitOutDatabaseOutages re-queues the job without
      // spending an attempt (nothing could be written here anyway).
      if (isDatabaseUnavailable(err)) throw err;
      const unrecoverable = err instanceof UnrecoverableImportError;
      const attempts = job.opts.attempts ?? 1;
      const last = unrecoverable || job.attemptsMade + 1 >= attempts;
      const message = err instanceof AppError ? err.message : GENERIC_FAILURE;
      const code =
        err instanceof AppError ? err.code : isRetryablePgError(err) ? 'database_unavailable' : 'internal_error';
      log.warn({ err, last }, 'import attempt failed');
      if (last) {
        // Nothing half-applied stays behind a failed import: what its chunks merged is undone first.
        if (imp.kind === 'aging') await undoFailedAgingImport(imp, deps.pool);
        await markFailed(deps, imp, message, code);
      } else
        await withTransaction(deps.pool, (tx) =>
          requeueAfterFailedAttempt(
            tx,
            imp.id,
            `${message} (attempt ${job.attemptsMade + 1} of ${attempts}; retrying automatically)`,
            code,
          ),
        );
      // What BullMQ keeps (failedReason, stacktrace, the events stream) is the code alone: a message can
      // quote the file's cells. The message itself is on the import row, in Postgres.
      throw unrecoverable ? new UnrecoverableError(`import failed: ${code}`) : new ImportAttemptFailed(code);
    }
  };
}

async function run(initial: ImportRecord, job: ImportJob, deps: ProcessorDeps): Promise<void> {
  const today = todayIso(deps.now?.() ?? new Date(), await practiceTimeZone(deps.pool, initial.practiceId));
  const upload: StoredFile = { store: deps.store, key: initial.storageKey };
  let rowsRead = initial.rowsRead;
  let rowsCommitted = initial.rowsCommitted;
  // Best effort: the import row carries the same progress, and a job lost from Redis (a restart
  // without its data) must not fail an import that is going well; the reconciler re-queues it.
  const progress = async (phase: string, bytesRead: number) => {
    await job
      .updateProgress({ phase, rowsRead, rowsCommitted, bytesRead, sizeBytes: initial.sizeBytes })
      .catch((e: unknown) => deps.logger.debug({ importId: initial.id, err: e }, 'could not record job progress'));
  };
  const kind = initial.kind;
  if (!isImportKind(kind))
    throw new UnrecoverableImportError('unknown_kind', `Ledgerport cannot import files of kind "${kind}".`);
  if (initial.phase === 'queued' || initial.phase === 'staging') {
    await assertStoredUpload(upload, initial.originalName);
    await markStaging(deps.pool, initial.id);
    const stageDeps = {
      pool: deps.pool,
      workbookLimits: deps.workbookLimits,
      chunkRows: deps.chunkRows,
      shouldStop: deps.shouldStop,
      onChunk: async (p: { rowsRead: number; bytesRead: number }) => {
        rowsRead += p.rowsRead;
        await progress('staging', p.bytesRead);
      },
    };
    if (kind === 'aging' && initial.mode === 'commit' && initial.onInvalid !== 'block' && initial.locationId) {
      await applyWhileReading(initial, upload, today, stageDeps, deps);
      return;
    }
    const handler: RowHandler<unknown> =
      kind === 'aging' ? agingRowHandler(initial, deps.pool, today) : patientRowHandler(initial, kind, today);
    await stageFile(initial, upload, handler, stageDeps);
  }
  await assertSomethingToImport(deps.pool, initial.id);
  const imp = await getImport(deps.db, initial.id);
  if (!imp) return;
  if (imp.onInvalid === 'block' && imp.rowsRejected > 0) {
    throw new UnrecoverableImportError(
      'rows_rejected',
      `${imp.rowsRejected.toLocaleString('en-US')} row${imp.rowsRejected === 1 ? '' : 's'} could not be read, and this import was set to stop on any bad row. Nothing was applied; see the errors, fix the file and upload it again.`,
    );
  }
  if (imp.mode === 'preview') {
    // An aging preview that would close too much says so now: only an administrator may save it.
    const review = imp.resolveApprovedBy ? null : await reviewOfStagedAging(deps.pool, imp);
    await withTransaction(deps.pool, async (client) => {
      if (!(await markReadyForSave(client, imp.id, review ? { ...review } : null))) throw new ImportTakenOver(imp.id, 'no longer running');
      if (review) await notifyReview(client, imp, review);
      // An ordinary preview waits for its uploader's Save: say so, or it waits unseen.
      else
        await client.query(
          `insert into notifications (user_id, kind, message, link) values ($1, 'import_ready', $2, $3)`,
          [
            imp.createdBy,
            readyMessage(imp),
            `/imports/${imp.id}`,
          ],
        );
    });
    return;
  }
  if (kind !== 'aging') {
    await commitPatientImport(imp, kind, deps.pool);
    return;
  }
  const locationId = imp.locationId;
  if (!locationId) throw new Error('aging import without a location');
  await withLocationLock(deps.pool, locationId, async (lock) => {
    await assertLocationFree(deps.pool, imp, lock);
    await finishAgingImport(imp, lock, {
      pool: deps.pool,
    db: deps.db,
    chunkRows: deps.chunkRows,
    ...(deps.closeSliceClaims ? { closeSliceClaims: deps.closeSliceClaims } : {}),
    shouldStop: deps.shouldStop,
    onChunk: async (p) => {
      rowsCommitted += p.rowsCommitted;
      await progress('committing', imp.sizeBytes);
    },
      ...(deps.metrics ? { onChunkMerged: deps.metrics.chunkMerged } : {}),
    });
  });
}

/**
 * An aging file that neither waits for Save nor stops on a bad row is applied as it is read: each
 * chunk is merged as soon as it is staged, on a second connection, so Postgres merges one chunk while
 * it stages the next and Node parses the one after, instead of the phases running one after the
 * other. The location is locked throughout, as it is for a commit.
 */
async function applyWhileReading(
  initial: ImportRecord,
  upload: StoredFile,
  today: string,
  stageDeps: StageDeps,
  deps: ProcessorDeps,
): Promise<void> {
  const locationId = initial.locationId;
  if (!locationId) throw new Error('aging import without a location');
  const knownPayers = new Set<string>();
  const handler = (lock: LocationLock): RowHandler<StagedClaim> => ({
    ...agingRowHandler(initial, deps.pool, today),
    afterCommit: (from, through, staged, rejected) => {
      // The payers of the chunk not seen in an earlier one: the merge then creates only those, and
      // skips the step when there are none.
      const chunkPayers = new Map<string, string>();
      for (const c of staged)
        if (!rejected.has(c.rowNo) && !knownPayers.has(c.payerKey) && !chunkPayers.has(c.payerKey))
          chunkPayers.set(c.payerKey, c.payerName);
      return async () => {
        await mergeChunkAndMoveCheckpoint(deps.pool, lock, initial.id, {
          ...(deps.metrics ? { onMerged: deps.metrics.chunkMerged } : {}),
          chunkRows: deps.chunkRows,
          range: { from, through },
          chunkPayers,
        });
        for (const k of chunkPayers.keys()) knownPayers.add(k);
      };
    },
  });
  await withLocationLock(deps.pool, locationId, async (lock) => {
    // The file is read from its first line in this attempt (not resumed): how long its rows take is
    // then the file's own, what the time left weighs the close against (rowsSeconds).
    const readFromStartAt = initial.stageCheckpoint === 0 ? performance.now() : undefined;
    await assertLocationFree(deps.pool, initial, lock);
    await rememberPreviousImport(deps.pool, initial, 'staging');
    await stageFile(initial, upload, handler(lock), stageDeps);
    await assertSomethingToImport(deps.pool, initial.id);
    const imp = await getImport(deps.db, initial.id);
    if (!imp) return;
    await finishAgingImport(imp, lock, {
      pool: deps.pool,
      db: deps.db,
      chunkRows: deps.chunkRows,
      ...(deps.closeSliceClaims ? { closeSliceClaims: deps.closeSliceClaims } : {}),
      ...(readFromStartAt === undefined ? {} : { readFromStartAt }),
      shouldStop: deps.shouldStop,
      onChunk: () => Promise.resolve(),
    });
  });
}

/** What a failed attempt leaves in Redis: its code, never its message (see safeError). */
class ImportAttemptFailed extends Error {
  constructor(code: string) {
    super(`import attempt failed: ${code}`);
    this.name = 'ImportAttemptFailed';
  }
}

async function markFailed(deps: ProcessorDeps, imp: ImportRecord, message: string, code: string): Promise<void> {
  await withTransaction(deps.pool, (tx) => failImport(tx, { id: imp.id, message, code }));
}

/**
 * An ordinary preview's notification: what waits for Save, and in the same breath what will not be
 * saved (rows rejected, their readable money, amounts that could not be read).
 */
function readyMessage(imp: ImportRecord): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const rows = (x: number) => `${n(x)} row${x === 1 ? '' : 's'}`;
  const waiting = `${imp.originalName} is read and checked: ${rows(imp.rowsAccepted)} ${imp.rowsAccepted === 1 ? 'waits' : 'wait'} for your Save.`;
  if (imp.rowsRejected === 0) return `${waiting} Nothing is saved until then.`;
  const c = imp.counters;
  const money = imp.kind === 'patients' ? '' : ` (${formatCents(c.centsRejected ?? 0)}${c.rowsAmountUnreadable ? `, and ${rows(c.rowsAmountUnreadable)} whose amount could not be read` : ''})`;
  return `${waiting} ${rows(imp.rowsRejected)} ${imp.rowsRejected === 1 ? 'was' : 'were'} rejected and will not be saved${money}: see the errors. Nothing is saved until then.`;
}
