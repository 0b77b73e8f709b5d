import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { NotFoundError } from '@ledgerport/core';
import type { Db, SessionPolicy } from '@ledgerport/db';
import type pg from 'pg';
import type { ImportQueue, MaintenanceQueue } from '@ledgerport/queue';
import { authenticate } from './auth.js';
import { errorMiddleware } from './error-middleware.js';
import { healthRoutes } from './health.routes.js';
import { accountRoutes } from './routes/account.routes.js';
import { locationRoutes } from './routes/locations.routes.js';
import { receivablesRoutes } from './routes/receivables.routes.js';
import { practiceRoutes } from './routes/practice.routes.js';
import { importRoutes } from './routes/imports.routes.js';
import { patientRoutes } from './routes/patients.routes.js';
import { columnMappingRoutes } from './routes/column-mappings.routes.js';
import { queueDashboard, DASHBOARD_PATH } from './operators/queue-dashboard.js';
import { operatorSessionRoutes } from './operators/operator-session.js';
import { PROFILES } from '@ledgerport/core';
import type { Queue } from 'bullmq';

export interface AppDeps {
  db: Db;
  pool: pg.Pool;
  redis: Redis;
  queue: ImportQueue;
  /** Where the API asks a worker for maintenance (deleting a discarded file). */
  maintenanceQueue?: MaintenanceQueue;
  logger: Logger;
  uploadDir: string;
  maxUploadBytes: number;
  jobAttempts: number;
  /** Other queues the operators' dashboard shows (maintenance). */
  extraQueues?: Queue[];
  /** The built web page (apps/web/dist), served at / when present. */
  webDir?: string;
  /** How long a looked-up token is remembered (AUTH_CACHE_MS); 0 or absent: not at all. */
  authCacheMs?: number;
  /** The operators' queue dashboard: writable or read-only (the default), and how long a session lasts. */
  dashboard?: { writable?: boolean; session?: Partial<SessionPolicy> };
  /** Express's "trust proxy" (TRUST_PROXY): whose X-Forwarded-Proto says a request came over TLS. */
  trustProxy?: boolean | number | string;
  /** true once the process is shutting down (readiness then answers 503) */
  isDraining?: () => boolean;
}

const DEFAULT_SESSION: SessionPolicy = { idleMs: 30 * 60_000, maxMs: 8 * 3600_000 };

/** Builds the Express app without listening: the entry point and the tests both use it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
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

  // Operators only, with a session of their own (a cookie path-scoped to /admin): before the practice
  // API's bearer-token check, which no operator passes and no practice user may use here.
  const session = { ...DEFAULT_SESSION, ...deps.dashboard?.session };
  app.use(operatorSessionRoutes(deps.db, session, DASHBOARD_PATH));
  app.use(
    queueDashboard(deps.db, [deps.queue as unknown as Queue, ...(deps.extraQueues ?? [])], {
      writable: deps.dashboard?.writable ?? false,
      session,
    }),
  );

  app.use(authenticate(deps.db, { cacheMs: deps.authCacheMs ?? 0 }));
  app.get('/config', (_req, res) => {
    res.json({ maxUploadBytes: deps.maxUploadBytes });
  });
  app.get('/formats', (_req, res) => {
    res.json({ items: PROFILES.map((p) => ({ id: p.id, label: p.label, fileTypes: p.fileTypes })) });
  });
  app.use(accountRoutes(deps.db));
  app.use('/locations', locationRoutes(deps.db));
  app.use(
    '/imports',
    importRoutes({
      db: deps.db,
      pool: deps.pool,
      redis: deps.redis,
      queue: deps.queue,
      maintenanceQueue: deps.maintenanceQueue,
      uploadDir: deps.uploadDir,
      maxUploadBytes: deps.maxUploadBytes,
      jobAttempts: deps.jobAttempts,
      logger: deps.logger,
    }),
  );
  app.use(patientRoutes(deps.pool));
  app.use(receivablesRoutes(deps.db, deps.pool));
  app.use(practiceRoutes(deps.db));
  app.use(
    columnMappingRoutes({
      db: deps.db,
      redis: deps.redis,
      queue: deps.queue,
      uploadDir: deps.uploadDir,
      jobAttempts: deps.jobAttempts,
      logger: deps.logger,
    }),
  );
  app.use(() => {
    throw new NotFoundError('There is nothing at this address.');
  });
  app.use(errorMiddleware(deps.logger, deps.maxUploadBytes));
  return app;
}

function noCacheForHtml(res: Response, file: string): void {
  if (file.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
}
