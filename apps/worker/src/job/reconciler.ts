import type pg from 'pg';
import type { Logger } from 'pino';
import { coerceError, describeFault } from '@ledgerport/core';
import {
  failUnownedImport,
  getImport,
  listQuietUnfinishedImports,
  withReconcileLock,
  type Db,
  type ReconcileLock,
  type UnfinishedImport,
} from '@ledgerport/db';
import { enqueueImport, type ImportQueue } from '@ledgerport/queue';
import { undoFailedAgingImport } from '../aging/commit.js';

export interface ReconcilerDeps {
  pool: pg.Pool;
  db: Db;
  queue: ImportQueue;
  logger: Logger;
  /** attempts a re-queued job gets (JOB_ATTEMPTS) */
  jobAttempts: number;
  /** imports touched more recently than this are left alone (RECONCILE_GRACE_MS) */
  graceMs: number;
}

export interface ReconcileReport {
  /** queued or running imports that had been quiet for the grace period */
  checked: number;
  requeued: string[];
  failed: string[];
  /** imports that could not be put right this time (logged; tried again next run) */
  errors: number;
}

/** What Redis says about an import's job, and so what to do with the import. */
type Verdict = { action: 'none' } | { action: 'requeue'; why: string } | { action: 'fail'; stalled: boolean };

const STALL_LIMIT_REASON = 'job stalled more than allowable limit';

const WORKER_LOST_MESSAGE =
  'The import service stopped unexpectedly again and again while working on this file, so it was halted. Nothing from it was applied; an administrator can retry it.';
const INTERRUPTED_MESSAGE =
  'This import was interrupted and could not be finished. Nothing from it was applied; an administrator can retry it.';

/**
 * Puts right every import Postgres calls queued or running that no live job owns ("no import in
 * limbo"): one whose job is missing (Redis restarted without its data, a queue flushed, a job removed
 * from the dashboard) or finished while the import is not is queued again under its own id and
 * resumes from its checkpoints; one whose job failed for good after the import last moved is failed,
 * what it merged undone, and its uploader told. Runs under the reconcile lock, so however many workers
 * run it at once, one does the work and the others return null; re-queueing is idempotent anyway (the
 * job id is the import id). Imports touched within `graceMs` are skipped: the API inserts an import a
 * moment before it queues its job.
 */
export async function reconcileImports(deps: ReconcilerDeps): Promise<ReconcileReport | null> {
  const run = await withReconcileLock(deps.pool, async (lock) => {
    const report: ReconcileReport = { checked: 0, requeued: [], failed: [], errors: 0 };
    for (const imp of await listQuietUnfinishedImports(lock, deps.graceMs)) {
      report.checked++;
      try {
        const verdict = await judge(deps.queue, imp);
        if (verdict.action === 'requeue') {
          await enqueueImport(deps.queue, imp.id, deps.jobAttempts);
          deps.logger.warn(
            { importId: imp.id, status: imp.status, why: verdict.why },
            'reconciler re-queued an import no job owned',
          );
          report.requeued.push(imp.id);
        } else if (verdict.action === 'fail' && (await failForGood(deps, lock, imp, verdict.stalled))) {
          deps.logger.warn(
            { importId: imp.id, stalled: verdict.stalled },
            'reconciler failed an import whose job had failed for good',
          );
          report.failed.push(imp.id);
        }
      } catch (e) {
        report.errors++;
        deps.logger.error(
          { importId: imp.id, error: describeFault(coerceError(e)) },
          'reconciler could not put an import right',
        );
      }
    }
    return report;
  });
  return run.ran ? run.result : null;
}

async function judge(queue: ImportQueue, imp: UnfinishedImport): Promise<Verdict> {
  const job = await queue.getJob(imp.id);
  if (!job) return { action: 'requeue', why: 'job missing' };
  const state = await job.getState();
  switch (state) {
    case 'active':
    case 'waiting':
    case 'delayed':
    case 'prioritized':
    case 'waiting-children':
      return { action: 'none' };
    case 'failed':
      // Put back in the queue after its job failed (an admin's retry whose enqueue never happened):
      // the import's state is the newer word, not the failure.
      if ((job.finishedOn ?? 0) < imp.updatedAt.getTime())
        return { action: 'requeue', why: 'queued again after its job failed' };
      // Cancelled meanwhile: a fresh job closes it the way a cancel does.
      if (imp.cancelRequested) return { action: 'requeue', why: 'cancel requested' };
      return { action: 'fail', stalled: job.failedReason === STALL_LIMIT_REASON };
    case 'completed':
      return { action: 'requeue', why: 'job completed without finishing the import' };
    default:
      return { action: 'requeue', why: `job ${state}` };
  }
}

/** Undoes what an aging import merged (as a worker's last failed attempt does), then fails it. */
async function failForGood(
  deps: ReconcilerDeps,
  lock: ReconcileLock,
  imp: UnfinishedImport,
  stalled: boolean,
): Promise<boolean> {
  const full = await getImport(deps.db, imp.id);
  if (!full) return false;
  if (full.kind === 'aging') await undoFailedAgingImport(full, deps.pool);
  return failUnownedImport(lock, {
    id: imp.id,
    attempts: imp.attempts,
    message: stalled ? WORKER_LOST_MESSAGE : INTERRUPTED_MESSAGE,
    code: stalled ? 'worker_lost' : 'interrupted',
  });
}
