import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { NotFoundError } from '@ledgerport/core';
import type { Db } from '@ledgerport/db';
import type pg from 'pg';
import type { ImportQueue } from '@ledgerport/queue';
import { authenticate } from './auth.js';
import { errorMiddleware } from './error-middleware.js';
import { healthRoutes } from './health.routes.js';
import { accountRoutes } from './routes/account.routes.js';
import { importRoutes } from './routes/imports.routes.js';
import { patientRoutes } from './routes/patients.routes.js';
import { columnMappingRoutes } from './routes/column-mappings.routes.js';
import { queueDashboard } from './queue-dashboard.js';
import { PROFILES } from '@ledgerport/core';
import type { Queue } from 'bullmq';

export interface AppDeps {
  db: Db;
  pool: pg.Pool;
  redis: Redis;
  queue: ImportQueue;
  logger: Logger;
  uploadDir: string;
  maxUploadBytes: number;
  jobAttempts: number;
  /** Other queues the admin dashboard shows (maintenance). */
  extraQueues?: Queue[];
  /** The built web page (apps/web/dist), served at / when present. */
  webDir?: string;
  /** How long a looked-up token is remembered (AUTH_CACHE_MS); 0 or absent: not at all. */
  authCacheMs?: number;
  /** true once the process is shutting down (readiness then answers 503) */
  isDraining?: () => boolean;
}

/** Builds the Express app without listening: the entry point and the tests both use it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '1mb' }));
  // While shutting down, each response closes its connection, so clients reconnect to another process.
  app.use((_req, res, next) => {
    if (deps.isDraining?.()) res.setHeader('connection', 'close');
    next();
  });

  app.use(healthRoutes({ pool: deps.pool, redis: deps.redis, isDraining: deps.isDraining ?? (() => false) }));

  // The page staff use: static files before auth (the page itself signs in with a token).
  if (deps.webDir && existsSync(path.join(deps.webDir, 'index.html'))) {
    app.use(express.static(deps.webDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  }

  // Admin-only, authenticated by its own middleware (a browser page cannot send a bearer header).
  app.use(queueDashboard(deps.db, [deps.queue as unknown as Queue, ...(deps.extraQueues ?? [])]));

  app.use(authenticate(deps.db, { cacheMs: deps.authCacheMs ?? 0 }));
  app.get('/config', (_req, res) => {
    res.json({ maxUploadBytes: deps.maxUploadBytes, dashboardUrl: '/admin/queues' });
  });
  app.get('/formats', (_req, res) => {
    res.json({ items: PROFILES.map((p) => ({ id: p.id, label: p.label, fileTypes: p.fileTypes })) });
  });
  app.use(accountRoutes(deps.db));
  app.use(
    '/imports',
    importRoutes({
      db: deps.db,
      pool: deps.pool,
      redis: deps.redis,
      queue: deps.queue,
      uploadDir: deps.uploadDir,
      maxUploadBytes: deps.maxUploadBytes,
      jobAttempts: deps.jobAttempts,
      logger: deps.logger,
    }),
  );
  app.use(patientRoutes(deps.pool));
  app.use(columnMappingRoutes(deps.db));
  app.use(() => {
    throw new NotFoundError('There is nothing at this address.');
  });
  app.use(errorMiddleware(deps.logger, deps.maxUploadBytes));
  return app;
}

function noCacheForHtml(res: Response, file: string): void {
  if (file.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
}
