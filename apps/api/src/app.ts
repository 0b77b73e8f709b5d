import type { FormatInfo, ServerConfig } from '@ledgerport/api-client';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Response } from 'express';
import type { RedisClient } from '@ledgerport/queue';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { NotFoundError, PROFILES } from '@ledgerport/core';
import type { Db, SessionPolicy } from '@ledgerport/db';
import type pg from 'pg';
import type { ImportQueue, MaintenanceQueue } from '@ledgerport/queue';
import type { Queue } from 'bullmq';
import { authenticate, startTokenChecks } from './auth.js';
import { AuditLog } from './audit.js';
import { AuthEpoch } from './auth-epoch.js';
import { BackgroundWrites } from './background-writes.js';
import { errorMiddleware } from './error-middleware.js';
import { healthRoutes } from './health.routes.js';
import { httpMetrics, routeBase } from './http-metrics.js';
import { RateLimiter, type RateLimitPolicy } from './rate-limit.js';
import { requestId } from './request-id.js';
import { clientErrors, jsonBody } from './request-errors.js';
import { dashboardContentSecurityPolicy, noStore, securityHeaders } from './security-headers.js';
import { accountRoutes } from './routes/account.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { columnMappingRoutes } from './routes/column-mappings.routes.js';
import { importRoutes } from './routes/imports.routes.js';
import { locationRoutes } from './routes/locations.routes.js';
import { patientRoutes } from './routes/patients.routes.js';
import { practiceRoutes } from './routes/practice.routes.js';
import { receivablesRoutes } from './routes/receivables.routes.js';
import { tokenRoutes, type TokenPolicy } from './routes/tokens.routes.js';
import { userRoutes } from './routes/users.routes.js';
import { queueDashboard, DASHBOARD_PATH } from './operators/queue-dashboard.js';
import { operatorSessionRoutes } from './operators/operator-session.js';
import { showLinkToAdmin, type LinkSender } from './link-sender.js';
import { DEFAULT_PEOPLE_POLICY, type PeoplePolicy } from './people/page-session.js';
import { signInRoutes } from './people/sign-in.routes.js';
import type { UploadStore } from '@ledgerport/storage';

export interface AppDeps {
  db: Db;
  pool: pg.Pool;
  redis: RedisClient;
  queue: ImportQueue;
  /** The process's Prometheus registry: request latency is recorded into it. */
  metrics?: Registry;
  /** Where the API asks a worker for maintenance (deleting a discarded file). */
  maintenanceQueue?: MaintenanceQueue;
  logger: Logger;
  /** where uploads are kept (a local folder or S3-compatible object storage) */
  store: UploadStore;
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
  /**
   * Redis for what every request does (rate limits, the auth epoch): one that fails a command at once
   * while Redis is away rather than queueing it (the queue's connection waits forever). Defaults to redis.
   */
  requestRedis?: RedisClient;
  /** Prefix of the API's own Redis keys (QUEUE_PREFIX), so processes sharing a Redis share limits. */
  redisPrefix?: string;
  /** Absent: no rate limits. */
  rateLimits?: RateLimitPolicy;
  tokens?: TokenPolicy;
  /** People's page sign-in: sessions, links (defaults: 30-minute idle, 12-hour sessions). */
  people?: Partial<PeoplePolicy>;
  /** Where invitation and reset links are sent; by default nowhere, and the admin passes them on. */
  linkSender?: LinkSender;
  /** Writes the requests do not wait for (audit lines, token use); the runtime drains it at shutdown. */
  background?: BackgroundWrites;
  /** The clock token expiry is judged by (tests move it). */
  now?: () => Date;
}

const DEFAULT_SESSION: SessionPolicy = { idleMs: 30 * 60_000, maxMs: 8 * 3600_000 };

/** Builds the Express app without listening: the entry point and the tests both use it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.use(requestId);
  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(securityHeaders());
  // While shutting down, each response closes its connection, so clients reconnect to another process.
  app.use((_req, res, next) => {
    if (deps.isDraining?.()) res.setHeader('connection', 'close');
    next();
  });
  const now = deps.now ?? (() => new Date());
  const requestRedis = deps.requestRedis ?? deps.redis;
  const redisPrefix = deps.redisPrefix ?? 'ledgerport';
  const background = deps.background ?? new BackgroundWrites(deps.logger);
  const audit = new AuditLog(deps.db, background);
  const epoch = new AuthEpoch(requestRedis, `${redisPrefix}:auth-epoch`);
  const limiter = deps.rateLimits ? new RateLimiter(requestRedis, redisPrefix, deps.rateLimits, deps.logger) : undefined;

  app.use(
    healthRoutes({ pool: deps.pool, redis: deps.redis, store: deps.store, isDraining: deps.isDraining ?? (() => false) }),
  );

  // The page staff use: static files before auth (the page itself signs in).
  if (deps.webDir && existsSync(path.join(deps.webDir, 'index.html'))) {
    app.use(express.static(deps.webDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  }

  app.use(noStore);
  const tokenChecks = { cacheMs: deps.authCacheMs ?? 0, epoch, limiter };
  app.use(startTokenChecks(tokenChecks));
  if (limiter) app.use(limiter.perIp());

  // Operators only, with a session of their own (a cookie path-scoped to /admin): before the practice
  // API's bearer-token check, which no operator passes and no practice user may use here.
  const session = { ...DEFAULT_SESSION, ...deps.dashboard?.session };
  app.use(operatorSessionRoutes(deps.db, session, DASHBOARD_PATH));
  app.use(DASHBOARD_PATH, dashboardContentSecurityPolicy());
  app.use(
    queueDashboard(deps.db, [deps.queue as unknown as Queue, ...(deps.extraQueues ?? [])], {
      writable: deps.dashboard?.writable ?? false,
      session,
    }),
  );

  // People sign in to the page here (before authentication: they have no session yet).
  const people: PeoplePolicy = { ...DEFAULT_PEOPLE_POLICY, ...deps.people };
  app.use(signInRoutes({ db: deps.db, audit, policy: people, limiter }));

  app.use(authenticate(deps.db, { ...tokenChecks, background, now, people }));
  // Bodies are read only for a request whose token is valid.
  app.use(jsonBody());
  app.get('/config', (_req, res) => {
    res.json({ maxUploadBytes: deps.maxUploadBytes } satisfies ServerConfig);
  });
  app.get('/formats', (_req, res) => {
    res.json({ items: PROFILES.map((p) => ({ id: p.id, label: p.label, fileTypes: p.fileTypes }) satisfies FormatInfo) });
  });
  app.use(accountRoutes(deps.db, audit));
  app.use('/locations', routeBase, locationRoutes(deps.db, audit));
  app.use(
    '/imports',
    routeBase,
    importRoutes({
      db: deps.db,
      pool: deps.pool,
      redis: deps.redis,
      queue: deps.queue,
      maintenanceQueue: deps.maintenanceQueue,
      store: deps.store,
      maxUploadBytes: deps.maxUploadBytes,
      jobAttempts: deps.jobAttempts,
      logger: deps.logger,
      audit,
    }),
  );
  app.use(patientRoutes({ pool: deps.pool, db: deps.db, audit }));
  app.use(receivablesRoutes(deps.db, deps.pool, audit));
  app.use(practiceRoutes(deps.db, audit));
  app.use(
    columnMappingRoutes({
      db: deps.db,
      pool: deps.pool,
      redis: deps.redis,
      queue: deps.queue,
      store: deps.store,
      jobAttempts: deps.jobAttempts,
      logger: deps.logger,
      audit,
    }),
  );
  const tokenDeps = { db: deps.db, audit, epoch, logger: deps.logger, now, policy: deps.tokens ?? { defaultTtlDays: 90, maxTtlDays: 365 } };
  app.use(tokenRoutes(tokenDeps));
  app.use(userRoutes({ ...tokenDeps, people, sender: deps.linkSender ?? showLinkToAdmin }));
  app.use(auditRoutes({ db: deps.db, audit }));
  app.use(() => {
    throw new NotFoundError('There is nothing at this address.');
  });
  app.use(clientErrors());
  app.use(errorMiddleware(deps.logger, deps.maxUploadBytes));
  return app;
}

function noCacheForHtml(res: Response, file: string): void {
  if (file.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
}
