import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { LOG_REDACT, OutageLog, coerceError, describeFault, safeError } from '@ledgerport/core';
import { createDbHandle, expireStagedImports, type DbHandle } from '@ledgerport/db';
import {
  JOBS,
  LOCK_DURATION_MS,
  STALLED_INTERVAL_MS,
  createImportQueue,
  createMetricsRegistry,
  createRedisConnection,
  redisTargetOf,
  queueDepthGauge,
  serveMetrics,
  isRedisUnavailable,
  type ProcessImportPayload,
} from '@ledgerport/queue';
import { workbookLimits, type WorkerConfig } from './config.js';
import { waitOutDatabaseOutages } from './job/database-outage.js';
import { createMaintenanceProcessor } from './job/maintenance.js';
import { applyRetention } from './job/retention.js';
import { createUploadStore, storageConfigOf } from '@ledgerport/storage';
import { createImportProcessor } from './job/process-import.js';
import { reconcileImports } from './job/reconciler.js';
import { workerMetrics } from './worker-metrics.js';

export interface WorkerRuntime {
  worker: Worker<ProcessImportPayload, void, string>;
  handle: DbHandle;
  /** Runs the reconciler now (as the scheduled job does); null when another process was running it. */
  reconcile(): ReturnType<typeof reconcileImports>;
  /** Where /metrics is served, when METRICS_PORT is set. */
  metricsUrl(): Promise<string | null>;
  /** Lets the chunk in flight commit, returns unfinished jobs to the queue, closes everything. */
  close(): Promise<void>;
}

/** Socket-level errors BullMQ passes on from its connections: Redis is down, not a bug. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function startImportWorker(
  config: WorkerConfig,
  parentLogger: Logger,
  opts: { now?: () => Date } = {},
): WorkerRuntime {
  // Whatever logger the caller hands in, errors reach it as codes and code locations only (safeError),
  // and keys that could hold patient data or a secret are redacted (LOG_REDACT).
  const logger = parentLogger.child({}, { serializers: { err: safeError }, redact: LOG_REDACT });
  const pgOutage = new OutageLog('postgres', logger);
  const redisOutage = new OutageLog('redis', logger);
  // Each concurrent job holds a location lock connection, a staging transaction and a merge running
  // next to it; two more for the maintenance jobs and an undo or cancel that needs a second connection.
  const handle = createDbHandle(config.DATABASE_URL, { max: config.WORKER_CONCURRENCY * 3 + 2, outage: pgOutage });
  const connection = createRedisConnection(redisTargetOf(config), { outage: redisOutage });
  // A BullMQ worker or queue passes on its connections' errors: a lost connection is reported once
  // per outage, anything else as an error. Without a listener either would crash the process.
  const onError = (what: string) => (e: unknown) => {
    const err = coerceError(e);
    const code = (e as { code?: unknown } | null)?.code;
    if (isRedisUnavailable(err) || (typeof code === 'string' && SOCKET_CODES.has(code))) redisOutage.down(err);
    else logger.error({ error: describeFault(err) }, `${what} error`);
  };
  const store = createUploadStore(storageConfigOf(config));
  logger.info({ storage: store.description }, 'uploads are read from the configured store');
  let stopping = false;
  const registry = createMetricsRegistry('worker');
  const metrics = workerMetrics(registry, handle.pool);
  const processor = createImportProcessor({
    metrics,
    db: handle.db,
    pool: handle.pool,
    logger,
    store,
    chunkRows: config.CHUNK_ROWS,
    closeSliceClaims: config.CLOSE_SLICE_CLAIMS,
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
      maxStalledCount: config.MAX_STALLED_COUNT,
    },
  );
  worker.on('error', onError('import worker'));
  metrics.watch(worker);
  worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, err }, 'job attempt failed'));
  worker.on('completed', (job) => logger.info({ jobId: job.id }, 'job completed'));
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'job stalled (its worker stopped); queued again'));

  const importQueue = createImportQueue(connection, config.QUEUE_PREFIX);
  importQueue.on('error', onError('import queue'));
  queueDepthGauge(registry, [importQueue]);
  // On a port of its own (METRICS_PORT), which operators keep private.
  const metricsServer =
    config.METRICS_PORT === undefined
      ? Promise.resolve(null)
      : serveMetrics(registry, config.METRICS_PORT, config.METRICS_HOST).catch((err: unknown) => {
          logger.error({ err }, 'could not serve /metrics');
          return null;
        });
  const reconcile = () =>
    reconcileImports({
      pool: handle.pool,
      db: handle.db,
      queue: importQueue,
      logger,
      jobAttempts: config.JOB_ATTEMPTS,
      graceMs: config.RECONCILE_GRACE_MS,
    });

  const maintenanceQueue = new Queue(JOBS.expireStaged.queue, { connection, prefix: config.QUEUE_PREFIX });
  maintenanceQueue.on('error', onError('maintenance queue'));
  const maintenance = new Worker(
    JOBS.expireStaged.queue,
    createMaintenanceProcessor({
      [JOBS.expireStaged.name]: async () => {
        const ids = await expireStagedImports(handle.pool, opts.now?.() ?? new Date());
        if (ids.length) logger.info({ ids }, 'expired staged imports');
      },
      [JOBS.reconcileImports.name]: async () => {
        await reconcile();
      },
      [JOBS.applyRetention.name]: async () => {
        const n = await applyRetention(handle.pool, store, opts.now?.() ?? new Date());
        if (n) logger.info({ files: n }, 'deleted stored files past their retention');
      },
    }),
    { connection, prefix: config.QUEUE_PREFIX, concurrency: 1 },
  );
  maintenance.on('error', onError('maintenance worker'));

  // Every worker registers the same scheduler ids, so however many run, each job runs once an
  // interval. Registered again whenever the connection is (re)made: a Redis restarted without its
  // data has lost them, and the reconciler must keep running to re-queue what that restart lost.
  const schedule = () => {
    void Promise.all([
      maintenanceQueue.upsertJobScheduler(
        JOBS.expireStaged.name,
        { every: 3600_000 },
        { name: JOBS.expireStaged.name, data: {} },
      ),
      maintenanceQueue.upsertJobScheduler(
        JOBS.applyRetention.name,
        { every: 3600_000 },
        { name: JOBS.applyRetention.name, data: {} },
      ),
      maintenanceQueue.upsertJobScheduler(
        JOBS.reconcileImports.name,
        { every: config.RECONCILE_INTERVAL_MS },
        { name: JOBS.reconcileImports.name, data: {} },
      ),
    ]).catch((err: unknown) => logger.error({ error: describeFault(err) }, 'could not schedule the maintenance jobs'));
  };
  connection.on('ready', schedule);
  // And once at start: what a crash or a lost queue left behind is put right without waiting.
  const atStart = reconcile().then(
    (report) => {
      if (report && (report.requeued.length || report.failed.length))
        logger.info(report, 'reconciled imports at start');
    },
    (err: unknown) => logger.warn({ error: describeFault(err) }, 'could not reconcile imports at start'),
  );

  let closing: Promise<void> | null = null;
  return {
    worker,
    async metricsUrl() {
      const address = (await metricsServer)?.address();
      return address && typeof address === 'object' ? `http://${config.METRICS_HOST}:${address.port}/metrics` : null;
    },
    handle,
    reconcile,
    close() {
      closing ??= (async () => {
        stopping = true;
        connection.off('ready', schedule);
        await Promise.all([worker.close(), maintenance.close()]);
        await atStart;
        await Promise.all([maintenanceQueue.close(), importQueue.close()]);
        const m = await metricsServer;
        if (m) await new Promise<void>((resolve) => m.close(() => resolve()));
        await connection.quit().catch(() => connection.disconnect());
        await handle.destroy();
        store.close();
      })();
      return closing;
    },
  };
}
