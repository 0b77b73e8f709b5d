import type pg from 'pg';
import {
  DEFAULT_RESOLVE_LIMITS,
  agingCompletionMessage,
  reviewBeforeResolving,
  type AgingOutcome,
  type DateOrder,
  type ResolveLimits,
  type Review,
} from '@ledgerport/core';
import {
  cancelImport,
  clearMergeProgress,
  completeAgingImport,
  deleteStagedClaims,
  dropFinishedStagingPartitions,
  findEarlierUnfinishedImport,
  findHalfAppliedImport,
  getImport,
  holdForReview as holdImportForReview,
  inTransaction,
  keepDateOrderFromFile,
  type Db,
  lockImport,
  mergeStagedRowsIntoClaims,
  readImportState,
  nextMergeBound,
  preferIndexLookups,
  listMissingClaims,
  locationClaimsBefore,
  openClaimsBefore,
  recordClaimsKeptOpen,
  recordMergedChunk,
  recordResolvedBatch,
  recordClosingProgress,
  rememberPreviousImport,
  resolveMissingClaimsBatch,
  resetImportReading,
  stagedClaimsLost,
  notifyNewPayers,
  undoClaimChanges,
  withLocationLock,
  withTransaction,
  type ImportCounters,
  type ImportRecord,
  type LocationLock,
} from '@ledgerport/db';
import { CheckpointMoved, ImportCancelled, ImportTakenOver, LocationBusy, WorkerStopping } from '../job/attempt-interruptions.js';
import { assertNotOlder } from './stage.js';

export interface CommitDeps {
  pool: pg.Pool;
  db: Db;
  chunkRows: number;
  /** claims compared per statement when the snapshot closes (listMissingClaims' default without it) */
  closeSliceClaims?: number;
  shouldStop: () => boolean;
  onChunk: (p: { rowsCommitted: number }) => Promise<void>;
  /** told how long each chunk's merge took (metrics) */
  onChunkMerged?: (seconds: number) => void;
  /**
   * When this attempt began reading the file from its first line (performance.now()): set, the close
   * notes how long the rows took (rowsSeconds), against which the time left weighs the close. Unset
   * when the rows were read earlier (a resumed attempt, a Save).
   */
  readFromStartAt?: number;
}

/** The counters a merge adds to; reset when what an import applied is undone. */
const MERGE_COUNTERS = [
  'claimsNew',
  'claimsUpdated',
  'claimsUnchanged',
  'payersCreated',
  'balanceCentsApplied',
] as const;

/**
 * Merges one chunk of what is staged in its own transaction and moves the commit checkpoint past it.
 * Without `range`, the chunk is the next `chunkRows` staged rows after the commit checkpoint (a
 * commit after staging); null when none are left. With it, the chunk ends at `range.through`, the
 * stage checkpoint of a chunk just staged, while the next one is staged on another connection: the
 * two share Postgres's second core instead of taking turns on one. `range.from` is the stage
 * checkpoint before that chunk: when the merge has kept up, (from, through] is one statement; after an
 * undo it is everything staged so far, merged a chunk at a time in the same transaction.
 * The import row is locked only at the end, long enough to move the commit checkpoint: the staging
 * and merging transactions wait on each other only for that moment. `chunkPayers`: see
 * mergeStagedRowsIntoClaims (used for a range merged in one statement).
 */
export async function mergeChunkAndMoveCheckpoint(
  pool: pg.Pool,
  lock: LocationLock,
  importId: string,
  chunk: {
    chunkRows: number;
    range?: { from: number; through: number };
    chunkPayers?: ReadonlyMap<string, string>;
    /** told how long the merge took, in seconds (metrics) */
    onMerged?: (seconds: number) => void;
  },
): Promise<{ rows: number } | null> {
  const { range, chunkRows } = chunk;
  const started = performance.now();
  const merged = await withTransaction(pool, async (client) => {
    await client.query('set local synchronous_commit = off');
    await preferIndexLookups(client);
    // Only this import's holder of the location lock moves its commit checkpoint, so reading it
    // unlocked is safe; the check under the lock below catches anyone else.
    const s0 = await readImportState(client, importId);
    const through = range ? range.through : await nextMergeBound(client, importId, s0.commitCheckpoint, chunkRows);
    if (through === null) return null;
    if (s0.commitCheckpoint >= through) return { rows: 0 };
    const applied: Record<string, number> = {};
    // Merging starts (again, after an undo): whether the location has open claims now, before this
    // import adds any, decides whether its close has anything to look for (listMissingClaims); whether
    // it has any claim at all, whether each row must look for the claim it names (locationWasEmpty).
    const before = s0.commitCheckpoint === 0 ? await locationClaimsBefore(client, s0) : null;
    const firstChunk = before
      ? {
          locationHadOpenClaims: before.open ? 1 : 0,
          locationHadClaims: before.any ? 1 : 0,
          ...(before.lastCloseSeconds === null ? {} : { lastCloseSeconds: before.lastCloseSeconds }),
        }
      : {};
    // Recorded with the first chunk, so a resumed attempt goes on the way the first one started.
    const locationWasEmpty = before ? !before.any : s0.counters.locationHadClaims === 0;
    let rows = 0;
    let lo = s0.commitCheckpoint;
    /** Merges the staged rows after `lo` through `to` (one statement), adding up what they did. */
    const mergeRowsThrough = async (to: number, chunkPayers?: ReadonlyMap<string, string>) => {
      const m = await mergeStagedRowsIntoClaims(client, s0, lock, lo, to, {
        ...(chunkPayers ? { chunkPayers } : {}),
        locationWasEmpty,
      });
      for (const k of MERGE_COUNTERS) applied[k] = (applied[k] ?? 0) + m[k];
      rows += m.rows;
      lo = to;
    };
    if (!range) await mergeRowsThrough(through);
    else if (s0.commitCheckpoint === range.from) await mergeRowsThrough(through, chunk.chunkPayers);
    else
      // Rows after `through` may be staged already (the next chunk commits while this merge runs):
      // never merge past it, and never stop short of it.
      while (lo < through) {
        const bound = await nextMergeBound(client, importId, lo, chunkRows);
        await mergeRowsThrough(bound === null ? through : Math.min(bound, through));
      }
    const s = await lockImport(client, importId);
    if (s.commitCheckpoint !== s0.commitCheckpoint)
      throw new CheckpointMoved(importId, s0.commitCheckpoint, s.commitCheckpoint);
    if (s.cancelRequested) throw new ImportCancelled();
    await recordMergedChunk(client, importId, { through, rows, counters: { ...add(s.counters, applied), ...firstChunk } });
    return { rows };
  });
  if (merged?.rows) chunk.onMerged?.((performance.now() - started) / 1000);
  return merged;
}

/**
 * When the rows an aging import staged and had not merged are gone (a database crash empties the
 * unlogged staging table), the import starts over from the first line: what it merged is undone and
 * its reading reset, under the location lock. Returns whether it did.
 */
export async function startOverIfStagingLost(imp: ImportRecord, pool: pg.Pool): Promise<boolean> {
  // Also once every row is merged: closing the snapshot still reads what the file staged.
  if (!imp.locationId || !(await stagedClaimsLost(pool, imp.id))) return false;
  return withLocationLock(pool, imp.locationId, (lock) =>
    withTransaction(pool, async (client) => {
      // Again under the locks: another worker handed the same job may have finished the import
      // meanwhile, and a completed import must never be undone here.
      const s = await lockImport(client, imp.id);
      if (s.status !== 'running' || !(await stagedClaimsLost(client, imp.id))) return false;
      if (s.commitCheckpoint > 0) await undoClaimChanges(client, s, lock);
      await resetImportReading(client, imp.id);
      return true;
    }),
  );
}

/**
 * The file proved the day/month order it was read in wrong: what was merged is undone and reading
 * starts over from the first line, in the order the file proved (kept in the import's options, where
 * it stands like an order named at upload). Under the location lock.
 */
export async function startOverInDateOrder(imp: ImportRecord, order: DateOrder, pool: pg.Pool): Promise<void> {
  const run = (lock: LocationLock | null) =>
    withTransaction(pool, async (client) => {
      const s = await lockImport(client, imp.id);
      if (s.status !== 'running') return;
      if (s.commitCheckpoint > 0 && lock) await undoClaimChanges(client, s, lock);
      await resetImportReading(client, imp.id);
      await keepDateOrderFromFile(client, imp.id, order);
    });
  if (imp.locationId) await withLocationLock(pool, imp.locationId, run);
  else await run(null);
}

/**
 * After an import's last attempt failed: what its merged chunks changed is undone (before-images),
 * so a failed import never leaves claims half-applied. Its staged rows stay: a retry merges them again.
 */
export async function undoFailedAgingImport(imp: ImportRecord, pool: pg.Pool): Promise<void> {
  if (!imp.locationId) return;
  await withLocationLock(pool, imp.locationId, (lock) =>
    withTransaction(pool, async (client) => {
      const s = await lockImport(client, imp.id);
      if (s.commitCheckpoint === 0 || s.status === 'completed') return;
      await undoClaimChanges(client, s, lock);
      await clearMergeProgress(client, imp.id, withoutMergeCounters(s.counters));
    }),
  );
}

/**
 * Under the location lock, before this import changes a claim: no other file of the location is
 * part-way applied (findHalfAppliedImport) or was uploaded before it and is not over yet
 * (findEarlierUnfinishedImport).
 */
export async function assertLocationFree(pool: pg.Pool, imp: ImportRecord, _lock: LocationLock): Promise<void> {
  const other = imp.locationId
    ? ((await findHalfAppliedImport(pool, imp.locationId, imp.id)) ??
      (await findEarlierUnfinishedImport(pool, imp.locationId, imp.id)))
    : null;
  if (other) throw new LocationBusy(other);
}

/**
 * Merges what is left of the staged rows into claims chunk by chunk, each chunk one transaction that
 * also advances the commit checkpoint, then closes the snapshot and marks the import completed (or
 * holds it for review). The caller holds the location lock and checked that the location is free
 * (assertLocationFree) when it took it. In the apply-while-reading path every chunk is merged already
 * and this only finalizes.
 */
export async function finishAgingImport(imp: ImportRecord, lock: LocationLock, deps: CommitDeps): Promise<'completed' | 'review'> {
  const outcome = await (async () => {
    // Checked again under the lock: a newer snapshot may have been applied while this one was staging.
    const fresh = await getImport(deps.db, imp.id);
    if (fresh?.reportDate && fresh.commitCheckpoint === 0) await assertNotOlder(deps.pool, imp, fresh.reportDate);
    await rememberPreviousImport(deps.pool, imp, 'committing');
    for (;;) {
      const merged = await mergeChunkAndMoveCheckpoint(deps.pool, lock, imp.id, {
        chunkRows: deps.chunkRows,
        ...(deps.onChunkMerged ? { onMerged: deps.onChunkMerged } : {}),
      });
      if (!merged) break;
      await deps.onChunk({ rowsCommitted: merged.rows });
      if (deps.shouldStop()) throw new WorkerStopping();
    }
    return finalize(imp, lock, deps.pool, deps.closeSliceClaims, deps.readFromStartAt);
  })();
  if (outcome === 'completed') await dropFinishedStagingPartitions(deps.pool, imp.id);
  return outcome;
}

/** Milliseconds as seconds, to the millisecond. */
const seconds = (ms: number) => Math.round(ms) / 1000;

/** Paid claims resolved per transaction when the snapshot is closed. */
const RESOLVE_BATCH = 5_000;

/**
 * Closes the snapshot: the location's open claims this file no longer lists are resolved in batches,
 * each its own transaction that also counts them on the import (progress staff can watch), all on
 * one connection because the list of them lives in its temporary table. Unless an administrator has
 * approved it, a file that would close too much, or has unreadable rows and would close anything,
 * closes nothing: the review it needs is returned instead.
 */
async function resolveMissing(
  imp: ImportRecord,
  lock: LocationLock,
  pool: pg.Pool,
  sliceClaims: number | undefined,
  rowsSeconds: number | undefined,
): Promise<Review | null> {
  const client = await pool.connect();
  const tx = { broken: false };
  try {
    // The state read on its own: no lock is held across the batches.
    const s0 = await inTransaction(client, (c) => lockImport(c, imp.id), tx);
    await recordClosingProgress(client, imp.id, {
      claimsChecked: 0,
      claimsToResolve: 0,
      ...(rowsSeconds === undefined ? {} : { rowsSeconds }),
    });
    const missing = await listMissingClaims(client, s0, tx, {
      ...(sliceClaims ? { sliceClaims } : {}),
      onSlice: (claimsChecked) => recordClosingProgress(client, imp.id, { claimsChecked }),
    });
    if (missing.keptOpen > 0) await recordClaimsKeptOpen(client, imp.id, missing.keptOpen);
    if (missing.count === 0) return null;
    if (s0.resolveApprovedBy === null) {
      const limits = await resolveLimits(client, imp.practiceId);
      const rowsRejected = await rowsUnreadable(client, imp.id);
      // Only a file that may be held needs the location's count: an ordinary nightly file skips it.
      const mayHold = rowsRejected > 0 || missing.count > limits.minClaims;
      const review = reviewBeforeResolving(
        {
          claimsToResolve: missing.count,
          centsToResolve: missing.cents,
          openClaims: mayHold ? openClaimsBefore(s0.counters, missing) : missing.count,
          rowsRejected,
          locationName: imp.locationName ?? 'this location',
        },
        limits,
      );
      if (review) return review;
    }
    // Of all this close resolves: an attempt before this one may have resolved some already.
    await recordClosingProgress(client, imp.id, { claimsToResolve: (s0.counters.claimsResolved ?? 0) + missing.count });
    for (let more = true; more;) {
      more = await inTransaction(
        client,
        async (c) => {
          const s = await lockImport(c, imp.id);
          if (s.cancelRequested) throw new ImportCancelled();
          await preferIndexLookups(c);
          const batch = await resolveMissingClaimsBatch(c, s, RESOLVE_BATCH, lock);
          await recordResolvedBatch(c, imp.id, add(s.counters, { claimsResolved: batch.resolved }));
          return batch.more;
        },
        tx,
      );
    }
    return null;
  } finally {
    client.release(tx.broken);
  }
}

/** Data rows the file has that could not be read (duplicates of a readable row aside). */
async function rowsUnreadable(db: pg.PoolClient, importId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select greatest(rows_rejected - coalesce((counters->>'duplicateRows')::int, 0), 0) as n from imports where id = $1`,
    [importId],
  );
  return rows[0]?.n ?? 0;
}

async function resolveLimits(db: pg.PoolClient, practiceId: string): Promise<ResolveLimits> {
  const { rows } = await db.query<{ percent: number; min_claims: number }>(
    'select mass_resolve_percent as percent, mass_resolve_min_claims as min_claims from practices where id = $1',
    [practiceId],
  );
  const r = rows[0];
  return r ? { percent: r.percent, minClaims: r.min_claims } : DEFAULT_RESOLVE_LIMITS;
}

/**
 * An import whose snapshot needs an administrator: what its chunks merged is undone (before-images),
 * so nothing of it is applied while it waits, and it waits as a review with its staged rows, which
 * Save merges again. Runs under the location lock.
 */
async function holdForReview(imp: ImportRecord, review: Review, lock: LocationLock, pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    const s = await lockImport(client, imp.id);
    if (s.cancelRequested) throw new ImportCancelled();
    if (s.commitCheckpoint > 0) await undoClaimChanges(client, s, lock);
    if (!(await holdImportForReview(client, imp.id, withoutMergeCounters(s.counters), { ...review })))
      throw new ImportTakenOver(imp.id, s.status);
    await notifyReview(client, imp, review);
  });
}

/** The uploader and the practice's administrators hear that an import waits for an administrator. */
export async function notifyReview(client: pg.PoolClient, imp: ImportRecord, review: Review): Promise<void> {
  await client.query(
    `insert into notifications (user_id, kind, message, link)
     select u.id, 'import_review', $3, '/imports/' || $2
     from users u where u.practice_id = $1 and u.active and (u.id = $4 or u.role = 'admin')`,
    [imp.practiceId, imp.id, `${imp.originalName} waits for an administrator. ${review.message}`, imp.createdBy],
  );
}

async function finalize(
  imp: ImportRecord,
  lock: LocationLock,
  pool: pg.Pool,
  closeSliceClaims: number | undefined,
  readFromStartAt: number | undefined,
): Promise<'completed' | 'review'> {
  const closeStartAt = performance.now();
  const rowsSeconds = readFromStartAt === undefined ? undefined : seconds(closeStartAt - readFromStartAt);
  const review = await resolveMissing(imp, lock, pool, closeSliceClaims, rowsSeconds);
  if (review) {
    await holdForReview(imp, review, lock, pool);
    return 'review';
  }
  await withTransaction(pool, async (client) => {
    const s = await lockImport(client, imp.id);
    if (s.cancelRequested) throw new ImportCancelled();
    const summary: ImportCounters = { claimsResolved: 0, ...s.counters };
    // How long the close took (when there was one: the location had open claims) is what the next
    // file at the location expects of its own (progressFraction).
    if (s.counters.locationHadOpenClaims === 1) summary.closeSeconds = seconds(performance.now() - closeStartAt);
    await deleteStagedClaims(client, imp.id);
    const done = await completeAgingImport(client, imp.id, summary);
    if (!done) throw new ImportTakenOver(imp.id, s.status);
    await client.query(
      `update locations set last_report_date = greatest(coalesce(last_report_date, $2::date), $2::date) where id = $1`,
      [imp.locationId, done.reportDate],
    );
    const newPayers = await notifyNewPayers(client, imp);
    await client.query(
      `insert into notifications (user_id, kind, message, link) values ($1, 'import_completed', $2, $3)`,
      [
        imp.createdBy,
        agingCompletionMessage({ ...outcomeOf(imp, summary, done), newPayers }),
        `/imports/${imp.id}`,
      ],
    );
  });
  return 'completed';
}

export function outcomeOf(
  imp: ImportRecord,
  n: ImportCounters,
  rows: { rowsRead: number; rowsCommitted: number; rowsRejected: number; rowsWarned: number },
): AgingOutcome {
  return {
    fileName: imp.originalName,
    claimsNew: n.claimsNew ?? 0,
    claimsUpdated: n.claimsUpdated ?? 0,
    claimsUnchanged: n.claimsUnchanged ?? 0,
    claimsResolved: n.claimsResolved ?? 0,
    claimsKeptOpen: n.claimsKeptOpen ?? 0,
    balanceCentsApplied: n.balanceCentsApplied ?? 0,
    rowsRejected: rows.rowsRejected,
    rowsInFile: rows.rowsRead,
    rowsApplied: rows.rowsCommitted,
    rowsWarned: rows.rowsWarned,
    centsInFile: n.centsInFile ?? 0,
    rowsAmountUnreadable: n.rowsAmountUnreadable ?? 0,
    printedTotalCents: n.printedTotalCents ?? null,
    printedDifferenceCents: n.printedDifferenceCents ?? 0,
    printedTotalsMismatched: n.printedTotalsMismatched ?? 0,
  };
}

/** Cancels an import mid-way: what its committed chunks changed is undone in the same transaction. */
export async function closeCancelledImport(imp: ImportRecord, pool: pg.Pool): Promise<void> {
  const run = async (lock: LocationLock | null) =>
    withTransaction(pool, async (client) => {
      const s = await lockImport(client, imp.id);
      // Over meanwhile (another worker finished it): what it applied stays, and so does its status.
      if (s.status === 'completed' || s.status === 'cancelled' || s.status === 'reverted') return;
      if (s.commitCheckpoint > 0 && lock) await undoClaimChanges(client, s, lock);
      await deleteStagedClaims(client, imp.id);
      await cancelImport(client, imp.id);
    });
  // Taken after any commit loop has released it: undoing must not interleave with another file's merge.
  if (imp.locationId) await withLocationLock(pool, imp.locationId, run);
  else await run(null);
  await dropFinishedStagingPartitions(pool, imp.id);
}

/** The counters of an import whose merge was undone: what it merged no longer counts. */
function withoutMergeCounters(c: ImportCounters): ImportCounters {
  const counters: Record<string, number> = { ...(c as Record<string, number>) };
  for (const k of MERGE_COUNTERS) delete counters[k];
  delete counters.claimsResolved;
  delete counters.locationHadOpenClaims;
  delete counters.locationHadClaims;
  delete counters.lastCloseSeconds;
  delete counters.rowsSeconds;
  delete counters.closeSeconds;
  delete counters.claimsChecked;
  delete counters.claimsToResolve;
  return counters;
}

function add(a: ImportCounters, b: ImportCounters): ImportCounters {
  const out: Record<string, number> = { ...(a as Record<string, number>) };
  for (const [k, v] of Object.entries(b) as Array<[string, number | undefined]>) out[k] = (out[k] ?? 0) + (v ?? 0);
  return out;
}
