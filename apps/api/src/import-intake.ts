import type { RedisClient } from '@ledgerport/queue';
import type { Logger } from 'pino';
import { coerceError, describeFault } from '@ledgerport/core';
import { deleteUnqueuedImport, insertImport, type Db, type ImportRecord, type NewImport } from '@ledgerport/db';
import { QueueUnavailableError, enqueueImport, waitForRedis, type ImportQueue } from '@ledgerport/queue';
import type { UploadStore } from '@ledgerport/storage';
import { removeStoredUpload } from './upload-storage.js';

export interface IntakeDeps {
  db: Db;
  redis: RedisClient;
  queue: ImportQueue;
  store: UploadStore;
  jobAttempts: number;
  logger: Logger;
}

/** How long a request waits for a Redis connection being made again before it is refused. */
const REDIS_WAIT_MS = 1_000;

/**
 * Refuses, before anything is written, work that needs a job while Redis is unreachable: an import
 * left `queued` with no job would wait for the reconciler instead of starting.
 */
export async function assertQueueReachable(redis: RedisClient): Promise<void> {
  if (!(await waitForRedis(redis, REDIS_WAIT_MS))) throw new QueueUnavailableError();
}

/**
 * Turns a stored upload into its import and queues its job, or leaves nothing behind: when a step
 * fails, what the steps before it created (the stored file, the import row) is taken back, so a
 * refused upload is simply not there and can be sent again.
 */
export async function storeAndQueueImport(
  deps: IntakeDeps,
  upload: { importId: string; storageKey: string },
  row: Omit<NewImport, 'id' | 'storageKey'>,
  requestId?: string,
): Promise<ImportRecord> {
  const { importId: id, storageKey } = upload;
  try {
    await assertQueueReachable(deps.redis);
  } catch (e) {
    await removeStoredUpload(deps.store, storageKey);
    throw e;
  }
  let imp: ImportRecord;
  try {
    imp = await insertImport(deps.db, { ...row, id, storageKey });
  } catch (e) {
    await removeStoredUpload(deps.store, storageKey);
    throw e;
  }
  try {
    await enqueueImport(deps.queue, imp.id, deps.jobAttempts, requestId);
  } catch (e) {
    // If the row cannot be taken back (Postgres went too), the reconciler queues it later.
    if (await deleteUnqueuedImport(deps.db, imp.id).catch(() => false))
      await removeStoredUpload(deps.store, storageKey);
    throw e;
  }
  return imp;
}

/**
 * Queues the job of an import whose row already says `queued` (Save, an admin's retry). Should Redis
 * fail between the check before the change and this, the change stands and the reconciler queues the
 * job within a minute, so the person is told it was accepted, which it was; only the log says more.
 */
export async function queueChangedImport(deps: IntakeDeps, importId: string, requestId?: string): Promise<void> {
  try {
    await enqueueImport(deps.queue, importId, deps.jobAttempts, requestId);
  } catch (e) {
    deps.logger.warn(
      { importId, error: describeFault(coerceError(e)) },
      'could not queue the job of an import just queued again; the reconciler will',
    );
  }
}
