import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { LOG_REDACT, OutageLog, coerceError, describeFault, safeError } from '@ledgerport/core';
import { createDbHandle } from '@ledgerport/db';
import { createImportQueue, createMaintenanceQueue, createMetricsRegistry, createRedisConnection, queueDepthGauge, redisTargetOf, serveMetrics, isRedisUnavailable, waitForRedis } from '@ledgerport/queue';
import { createUploadStore, storageConfigOf } from '@ledgerport/storage';
import { createApp } from './app.js';
import { BackgroundWrites } from './background-writes.js';
import type { ApiConfig } from './config.js';

export interface ApiRuntime {
  server: Server;
  /** The Express app (tests walk its routes). */
  app: Express;
  url: string;
  /** where /metrics is served, when METRICS_PORT is set */
  metricsUrl: string | null;
  /** Stops taking requests, lets those in flight finish, then closes queue, Redis and pool. */
  close(): Promise<void>;
}

/** A request waits this long for a database connection before it is answered 503. */
const PG_CONNECT_TIMEOUT_MS = 5_000;
/** At start, how long to wait for Redis before listening anyway (and refusing uploads until it answers). */
const STARTUP_REDIS_WAIT_MS = 2_000;
/**
 * On shutdown, how long requests in flight (an upload still streaming in) get to finish before their
 * connections are cut; below main.ts's hard stop, so the queue and pool are still closed in order.
 */
const DRAIN_MS = 8_000;

export interface StartApiOptions {
  /** The clock token expiry is judged by; tests move it. */
  now?: () => Date;
}

/** Listens on the configured port (0 picks a free one) and knows how to shut down in order. */
export async function startApi(config: ApiConfig, parentLogger: Logger, options: StartApiOptions = {}): Promise<ApiRuntime> {
  // Whatever logger the caller hands in, errors reach it as codes and code locations only (safeError),
  // and keys that could hold patient data or a secret are redacted (LOG_REDACT).
  const logger = parentLogger.child({}, { serializers: { err: safeError }, redact: LOG_REDACT });
  const redisOutage = new OutageLog('redis', logger);
  const handle = createDbHandle(config.DATABASE_URL, {
    max: 10,
    outage: new OutageLog('postgres', logger),
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
  });
  const redis = createRedisConnection(redisTargetOf(config), { outage: redisOutage, failFast: true });
  // Every request reads the auth epoch and counts rate limits here: while Redis is away these fail
  // within a second (limits not counted, tokens looked up in Postgres) instead of waiting for Redis as
  // the queue's connection does.
  const requestRedis = createRedisConnection(redisTargetOf(config), {
    outage: redisOutage,
    redisOptions: { maxRetriesPerRequest: 1, commandTimeout: 1_000 },
  });
  const background = new BackgroundWrites(logger);
  const queue = createImportQueue(redis, config.QUEUE_PREFIX);
  // A queue passes on its connections' errors: a lost connection is reported once per outage, anything
  // else as an error. Without a listener either would crash the process.
  const onQueueError = (what: string) => (e: unknown) => {
    const err = coerceError(e);
    if (isRedisUnavailable(err) || typeof (e as { code?: unknown } | null)?.code === 'string') redisOutage.down(err);
    else logger.error({ error: describeFault(err) }, `${what} error`);
  };
  queue.on('error', onQueueError('import queue'));
  // The maintenance queue: the operators' dashboard shows it, and a discard asks it to delete the file.
  const maintenanceQueue = createMaintenanceQueue(redis, config.QUEUE_PREFIX);
  maintenanceQueue.on('error', onQueueError('maintenance queue'));
  if (!(await waitForRedis(redis, STARTUP_REDIS_WAIT_MS)))
    logger.warn('Redis is not answering; uploads are refused (503) until it does');
  const store = createUploadStore(storageConfigOf(config));
  logger.info({ storage: store.description }, 'uploads are kept in the configured store');
  let draining = false;
  const metrics = createMetricsRegistry('api');
  queueDepthGauge(metrics, [queue, maintenanceQueue]);
  const metricsServer = config.METRICS_PORT === undefined ? null : await serveMetrics(metrics, config.METRICS_PORT, config.HOST);
  const app = createApp({
    metrics,
    db: handle.db,
    pool: handle.pool,
    redis,
    queue,
    maintenanceQueue,
    extraQueues: [maintenanceQueue],
    logger,
    store,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    jobAttempts: config.JOB_ATTEMPTS,
    webDir: config.WEB_DIR,
    authCacheMs: config.AUTH_CACHE_MS,
    trustProxy: config.TRUST_PROXY,
    requestRedis,
    redisPrefix: config.QUEUE_PREFIX,
    rateLimits: {
      windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
      perToken: config.RATE_LIMIT_PER_TOKEN,
      perIp: config.RATE_LIMIT_PER_IP,
      authFailuresPerIp: config.RATE_LIMIT_AUTH_FAILURES_PER_IP,
      signIn: {
        windowMs: config.SIGN_IN_WINDOW_MINUTES * 60_000,
        failuresPerAccount: config.SIGN_IN_FAILURES_PER_ACCOUNT,
        failuresPerIp: config.SIGN_IN_FAILURES_PER_IP,
      },
    },
    people: {
      session: { idleMs: config.SESSION_IDLE_MINUTES * 60_000, maxMs: config.SESSION_MAX_HOURS * 3600_000 },
      secureCookie: config.SESSION_COOKIE_SECURE,
      publicUrl: config.PUBLIC_URL,
      invitationTtlMs: config.INVITATION_TTL_DAYS * 24 * 3600_000,
      resetTtlMs: config.RESET_LINK_TTL_HOURS * 3600_000,
    },
    tokens: { defaultTtlDays: config.API_TOKEN_TTL_DAYS, maxTtlDays: config.API_TOKEN_MAX_TTL_DAYS },
    background,
    now: options.now,
    dashboard: {
      writable: config.QUEUE_DASHBOARD_WRITABLE,
      session: {
        idleMs: config.OPERATOR_SESSION_IDLE_MINUTES * 60_000,
        maxMs: config.OPERATOR_SESSION_MAX_HOURS * 3600_000,
      },
    },
    isDraining: () => draining,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  let closing: Promise<void> | null = null;
  const metricsAddress = metricsServer?.address();
  return {
    server,
    app,
    url,
    metricsUrl: metricsAddress && typeof metricsAddress === 'object' ? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${metricsAddress.port}/metrics` : null,
    close() {
      closing ??= (async () => {
        draining = true;
        await new Promise<void>((resolve) => {
          // Keep-alive connections become idle as their last request finishes: close each then.
          const idle = setInterval(() => server.closeIdleConnections(), 100);
          const cut = setTimeout(() => {
            logger.warn('requests still running at shutdown; closing their connections');
            server.closeAllConnections();
          }, DRAIN_MS);
          server.close(() => {
            clearInterval(idle);
            clearTimeout(cut);
            resolve();
          });
          server.closeIdleConnections();
        });
        await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
        // Audit lines and token uses still being written go in before the pool closes.
        await background.drain();
        await Promise.all([queue.close(), maintenanceQueue.close()]).catch(() => undefined);
        await redis.quit().catch(() => redis.disconnect());
        await requestRedis.quit().catch(() => requestRedis.disconnect());
        await handle.destroy();
        store.close();
      })();
      return closing;
    },
  };
}
