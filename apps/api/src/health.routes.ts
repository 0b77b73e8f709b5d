import { Router } from 'express';
import type { RedisClient } from '@ledgerport/queue';
import type pg from 'pg';
import type { UploadStore } from '@ledgerport/storage';

export interface HealthDeps {
  pool: pg.Pool;
  redis: RedisClient;
  /** where uploads are kept: ready only while it answers */
  store: UploadStore;
  /** true once the process is shutting down: a load balancer should stop sending it requests */
  isDraining: () => boolean;
}

/** A dependency that does not answer within this is reported down rather than hanging the probe. */
const PROBE_TIMEOUT_MS = 2_000;

type Probe = 'ok' | 'unreachable';

async function probe(check: () => Promise<unknown>): Promise<Probe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Probe>((resolve) => {
    timer = setTimeout(() => resolve('unreachable'), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      check().then(
        (): Probe => 'ok',
        (): Probe => 'unreachable',
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const DOWN_WORDS = {
  postgres: 'PostgreSQL (the database)',
  redis: 'Redis (the job queue)',
  storage: 'the upload storage',
} as const;

/**
 * Probes without authentication: `/health/live` says the process runs (restart it if not),
 * `/health/ready` that it can do its work: 200 only while Postgres, Redis and the upload storage
 * answer, else 503 naming what is down. `/health` is the older form of the second (Postgres and Redis
 * only), kept for existing monitors.
 */
export function healthRoutes(deps: HealthDeps): Router {
  const r = Router();
  const check = async (withStorage = true) => {
    const [postgres, redis, storage] = await Promise.all([
      probe(() => deps.pool.query('select 1')),
      probe(() => deps.redis.ping()),
      withStorage ? probe(() => deps.store.check()) : Promise.resolve<Probe>('ok'),
    ]);
    return withStorage ? { postgres, redis, storage } : { postgres, redis };
  };

  r.get('/health', async (_req, res) => {
    const { postgres, redis } = await check(false);
    const ok = postgres === 'ok' && redis === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', postgres, redis });
  });

  r.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });

  r.get('/health/ready', async (_req, res) => {
    if (deps.isDraining()) {
      res.status(503).json({
        status: 'draining',
        error: { code: 'service_unavailable', message: 'This server is shutting down; send requests to another one.' },
      });
      return;
    }
    const probes = await check();
    const down = (Object.keys(probes) as Array<keyof typeof probes>).filter((k) => probes[k] !== 'ok');
    if (!down.length) {
      res.json({ status: 'ready', ...probes });
      return;
    }
    res.status(503).json({
      status: 'unavailable',
      ...probes,
      error: {
        code: 'service_unavailable',
        message: `Not ready: ${down.map((k) => DOWN_WORDS[k]).join(' and ')} ${down.length > 1 ? 'are' : 'is'} not answering.`,
      },
    });
  });
  return r;
}
