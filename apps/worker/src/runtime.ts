import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { safeError } from '@ledgerport/core';
import { createDbHandle, expireStagedImports, type DbHandle } from '@ledgerport/db';
import {
  JOBS,
  LOCK_DURATION_MS,
  MAX_STALLED_COUNT,
  STALLED_INTERVAL_MS,
  createRedisConnection,
  type ProcessImportPayload,
} from '@ledgerport/queue';
import { workbookLimits, type WorkerConfig } from './config.js';
import { createImportProcessor } from './process-import.js';

export interface WorkerRuntime {
  worker: Worker<ProcessImportPayload, void, string>;
  handle: DbHandle;
  /** Lets the chunk in flight commit, returns unfinished jobs to the queue, closes everything. */
  close(): Promise<void>;
}

export function startImportWorker(
  config: WorkerConfig,
  parentLogger: Logger,
  opts: { now?: () => Date } = {},
): WorkerRuntime {
  // Whatever logger the caller hands in, errors reach it as codes and code locations only (safeError).
  const logger = parentLogger.child({}, { serializers: { err: safeError } });
  // Each concurrent job holds a location lock connection, a staging transaction and a merge running
  // next to it; two more for the maintenance job and an undo or cancel that needs a second connection.
  const handle = createDbHandle(config.DATABASE_URL, config.WORKER_CONCURRENCY * 3 + 2);
  const connection = createRedisConnection(config.REDIS_URL);
  let stopping = false;
  const processor = createImportProcessor({
    db: handle.db,
    pool: handle.pool,
    logger,
    uploadDir: config.UPLOAD_DIR,
    chunkRows: config.CHUNK_ROWS,
    workbookLimits: workbookLimits(config),
    shouldStop: () => stopping,
    now: opts.now,
  });
  const worker = new Worker<ProcessImportPayload, void, string>(JOBS.processImport.queue, processor, {
    connection,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: LOCK_DURATION_MS,
    stalledInterval: STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED_COUNT,
  });
  worker.on('error', (err) => logger.error({ err }, 'worker error'));

  // Staged imports nobody saved are discarded after 7 days; every worker registers the same scheduler
  // id, so however many run, the job runs once an hour.
  const maintenanceQueue = new Queue(JOBS.expireStaged.queue, { connection, prefix: config.QUEUE_PREFIX });
  void maintenanceQueue
    .upsertJobScheduler('expire-staged-imports', { every: 3600_000 }, { name: JOBS.expireStaged.name, data: {} })
    .catch((err: unknown) => logger.error({ err }, 'could not schedule the staged-import expiry'));
  const maintenance = new Worker(
    JOBS.expireStaged.queue,
    async () => {
      const ids = await expireStagedImports(handle.pool, opts.now?.() ?? new Date());
      if (ids.length) logger.info({ ids }, 'expired staged imports');
    },
    { connection, prefix: config.QUEUE_PREFIX, concurrency: 1 },
  );
  maintenance.on('error', (err) => logger.error({ err }, 'maintenance worker error'));
  worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, err }, 'job attempt failed'));
  worker.on('completed', (job) => logger.info({ jobId: job.id }, 'job completed'));
  let closing: Promise<void> | null = null;
  return {
    worker,
    handle,
    close() {
      closing ??= (async () => {
        stopping = true;
        await Promise.all([worker.close(), maintenance.close()]);
        await maintenanceQueue.close();
        await connection.quit().catch(() => connection.disconnect());
        await handle.destroy();
      })();
      return closing;
    },
  };
}
