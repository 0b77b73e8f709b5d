import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { OutageLog, coerceError, describeFault } from '@ledgerport/core';
import { createDbHandle, expireStagedImports, type DbHandle } from '@ledgerport/db';
import {
  JOBS,
  LOCK_DURATION_MS,
  MAX_STALLED_COUNT,
  STALLED_INTERVAL_MS,
  createRedisConnection,
  isRedisUnavailable,
  type ProcessImportPayload,
} from '@ledgerport/queue';
import { workbookLimits, type WorkerConfig } from './config.js';
import { waitOutDatabaseOutages } from './database-outage.js';
import { createImportProcessor } from './process-import.js';

export interface WorkerRuntime {
  worker: Worker<ProcessImportPayload, void, string>;
  handle: DbHandle;
  /** Lets the chunk in flight commit, returns unfinished jobs to the queue, closes everything. */
  close(): Promise<void>;
}

/** Socket-level errors BullMQ passes on from its connections: Redis is down, not a bug. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function startImportWorker(
  config: WorkerConfig,
  logger: Logger,
  opts: { now?: () => Date } = {},
): WorkerRuntime {
  // Each concurrent job holds a location lock connection, a staging transaction and a merge running
  // next to it; two more for the maintenance job and an undo or cancel that needs a second connection.
  const pgOutage = new OutageLog('postgres', logger);
  const redisOutage = new OutageLog('redis', logger);
  const handle = createDbHandle(config.DATABASE_URL, { max: config.WORKER_CONCURRENCY * 3 + 2, outage: pgOutage });
  const connection = createRedisConnection(config.REDIS_URL, { outage: redisOutage });
  // A BullMQ worker or queue passes on its connections' errors: a lost connection is reported once
  // per outage, anything else as an error. Without a listener either would crash the process.
  const onError = (what: string) => (e: unknown) => {
    const err = coerceError(e);
    const code = (e as { code?: unknown } | null)?.code;
    if (isRedisUnavailable(err) || (typeof code === 'string' && SOCKET_CODES.has(code))) redisOutage.down(err);
    else logger.error({ error: describeFault(err) }, `${what} error`);
  };
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
  const worker = new Worker<ProcessImportPayload, void, string>(
    JOBS.processImport.queue,
    waitOutDatabaseOutages(processor, logger),
    {
      connection,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: LOCK_DURATION_MS,
      stalledInterval: STALLED_INTERVAL_MS,
      maxStalledCount: MAX_STALLED_COUNT,
    },
  );
  worker.on('error', onError('import worker'));

  // Staged imports nobody saved are discarded after 7 days; every worker registers the same scheduler
  // id, so however many run, the job runs once an hour.
  const maintenanceQueue = new Queue(JOBS.expireStaged.queue, { connection, prefix: config.QUEUE_PREFIX });
  maintenanceQueue.on('error', onError('maintenance queue'));
  void maintenanceQueue
    .upsertJobScheduler('expire-staged-imports', { every: 3600_000 }, { name: JOBS.expireStaged.name, data: {} })
    .catch((err: unknown) =>
      logger.error({ error: describeFault(err) }, 'could not schedule the staged-import expiry'),
    );
  const maintenance = new Worker(
    JOBS.expireStaged.queue,
    async () => {
      const ids = await expireStagedImports(handle.pool, opts.now?.() ?? new Date());
      if (ids.length) logger.info({ ids }, 'expired staged imports');
    },
    { connection, prefix: config.QUEUE_PREFIX, concurrency: 1 },
  );
  maintenance.on('error', onError('maintenance worker'));
  worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, err: err.message }, 'job attempt failed'));
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
