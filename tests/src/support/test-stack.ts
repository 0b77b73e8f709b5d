import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadApiConfig, startApi, type ApiRuntime } from '@ledgerport/api';
import { seedDemo, type SeedResult } from '@ledgerport/db';
import { createRedisConnection } from '@ledgerport/queue';
import { loadWorkerConfig, startImportWorker, type WorkerRuntime } from '@ledgerport/worker';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface TestStack {
  url: string;
  db: TestDatabase;
  env: Record<string, string>;
  seed: SeedResult;
  admin: string;
  staff: string;
  api: ApiRuntime;
  worker: WorkerRuntime | null;
  startWorker(extra?: Record<string, string>): WorkerRuntime;
  close(): Promise<void>;
}

export function redisUrl(): string {
  return process.env.LEDGERPORT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/**
 * The API and (optionally) a worker in this process, on a database and queue prefix of this test
 * file's own. close() removes every trace: database, Redis keys, uploaded files.
 */
export async function startTestStack(
  opts: {
    worker?: boolean;
    env?: Record<string, string>;
    logTo?: { write(line: string): void };
    /** The API's clock (token expiry, remembered tokens): a test moves it instead of waiting. */
    now?: () => Date;
  } = {},
): Promise<TestStack> {
  const db = await createTestDatabase();
  const uploadDir = await mkdtemp(path.join(tmpdir(), 'lp-uploads-'));
  const prefix = `lpt-${randomBytes(5).toString('hex')}`;
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: prefix,
    UPLOAD_DIR: uploadDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    JOB_ATTEMPTS: '2',
    // Test files make thousands of requests a minute from one address (sweeps, 100 ms polls); the
    // rate-limit tests set their own limits.
    RATE_LIMIT_PER_TOKEN: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_AUTH_FAILURES_PER_IP: '1000000',
    ...opts.env,
  };
  // LP_TEST_LOG=info (or debug) prints the API's and workers' logs while a test file runs.
  // logTo captures every line the API and workers log, at the most detailed level, for tests that
  // check what logs may carry.
  const logger = opts.logTo ? pino({ level: 'trace' }, opts.logTo) : pino({ level: process.env.LP_TEST_LOG ?? 'silent' });
  const seed = await seedDemo(db.handle.db);
  const api = await startApi(loadApiConfig(env), logger, { now: opts.now });
  const workers: WorkerRuntime[] = [];
  const startWorker = (extra: Record<string, string> = {}) => {
    const w = startImportWorker(loadWorkerConfig({ ...env, ...extra }), logger);
    workers.push(w);
    return w;
  };
  const worker = opts.worker === false ? null : startWorker();
  const token = (role: string) => seed.users.find((u) => u.role === role)?.token ?? '';
  return {
    url: api.url,
    db,
    env,
    seed,
    admin: token('admin'),
    staff: token('staff'),
    api,
    worker,
    startWorker,
    async close() {
      await api.close();
      await Promise.all(workers.map((w) => w.close()));
      await removeRedisKeys(prefix);
      await db.drop();
      await rm(uploadDir, { recursive: true, force: true });
    },
  };
}

/** Every Redis key under a queue prefix gone, as after a Redis restart without persistence. */
export async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = createRedisConnection(redisUrl());
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
