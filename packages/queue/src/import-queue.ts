import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { JOBS, type ProcessImportPayload } from './catalog.js';

export type ImportQueue = Queue<ProcessImportPayload, void, string>;
export type ImportJob = Job<ProcessImportPayload, void, string>;

export function createImportQueue(connection: ConnectionOptions, prefix: string): ImportQueue {
  return new Queue<ProcessImportPayload, void, string>(JOBS.processImport.queue, { connection, prefix });
}

/**
 * Queues the import's job under the import's own id, so one import never has two jobs. A finished job
 * left in Redis under that id (a failed attempt being retried, staging done and Save pressed) is
 * removed first, since BullMQ ignores an add whose id already exists.
 */
export async function enqueueImport(queue: ImportQueue, importId: string, attempts: number, requestId?: string): Promise<void> {
  const existing = await queue.getJob(importId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
    await existing.remove();
  }
  await queue.add(
    JOBS.processImport.name,
    requestId ? { importId, requestId } : { importId },
    {
      jobId: importId,
      attempts,
      backoff: JOBS.processImport.backoff,
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  );
}

/** Removes a waiting or delayed job of a cancelled import; an active one stops on its own. */
export async function removeQueuedImport(queue: ImportQueue, importId: string): Promise<void> {
  const job = await queue.getJob(importId);
  if (!job) return;
  const state = await job.getState();
  if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await job.remove();
}

export async function queueDepth(queue: ImportQueue) {
  return queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
}

export type MaintenanceQueue = Queue;

export function createMaintenanceQueue(connection: ConnectionOptions, prefix: string): MaintenanceQueue {
  return new Queue(JOBS.applyRetention.queue, { connection, prefix });
}

/** Asks a worker to apply the retention policy now (a discarded file is deleted at once). */
export async function requestRetentionRun(queue: MaintenanceQueue): Promise<void> {
  await queue.add(JOBS.applyRetention.name, {}, { removeOnComplete: true, removeOnFail: { age: 24 * 3600 } });
}
