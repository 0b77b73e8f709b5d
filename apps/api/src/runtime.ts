import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { safeError } from '@ledgerport/core';
import { createDbHandle } from '@ledgerport/db';
import { createImportQueue, createRedisConnection } from '@ledgerport/queue';
import { createApp } from './app.js';
import type { ApiConfig } from './config.js';

export interface ApiRuntime {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Listens on the configured port (0 picks a free one) and knows how to shut down in order. */
export async function startApi(config: ApiConfig, parentLogger: Logger): Promise<ApiRuntime> {
  // Whatever logger the caller hands in, errors reach it as codes and code locations only (safeError).
  const logger = parentLogger.child({}, { serializers: { err: safeError } });
  const handle = createDbHandle(config.DATABASE_URL, 10);
  const redis = createRedisConnection(config.REDIS_URL);
  const queue = createImportQueue(redis, config.QUEUE_PREFIX);
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
    url,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await queue.close();
        await redis.quit().catch(() => redis.disconnect());
        await handle.destroy();
      })();
      return closing;
    },
  };
}
