import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createDbHandle } from '@ledgerport/db';
import { createImportQueue, createRedisConnection } from '@ledgerport/queue';
import { createApp } from './app.js';
import { BackgroundWrites } from './background-writes.js';
import type { ApiConfig } from './config.js';

export interface ApiRuntime {
  server: Server;
  /** The Express app (tests walk its routes). */
  app: Express;
  url: string;
  close(): Promise<void>;
}

/** Listens on the configured port (0 picks a free one) and knows how to shut down in order. */
export interface StartApiOptions {
  /** The clock token expiry is judged by; tests move it. */
  now?: () => Date;
}

export async function startApi(config: ApiConfig, logger: Logger, options: StartApiOptions = {}): Promise<ApiRuntime> {
  const handle = createDbHandle(config.DATABASE_URL, 10);
  const redis = createRedisConnection(config.REDIS_URL);
  // Every request reads the auth epoch and counts rate limits here: while Redis is away these fail
  // within a second (limits not counted, tokens looked up in Postgres) instead of waiting for Redis as
  // the queue's connection does.
  const requestRedis = createRedisConnection(config.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  const queue = createImportQueue(redis, config.QUEUE_PREFIX);
  const background = new BackgroundWrites(logger);
  const app = createApp({
    db: handle.db,
    pool: handle.pool,
    redis,
    queue,
    logger,
    uploadDir: config.UPLOAD_DIR,
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
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    server,
    app,
    url,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        // Audit lines and token uses still being written go in before the pool closes.
        await background.drain();
        await queue.close();
        await redis.quit().catch(() => redis.disconnect());
        await requestRedis.quit().catch(() => requestRedis.disconnect());
        await handle.destroy();
      })();
      return closing;
    },
  };
}
