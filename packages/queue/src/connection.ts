import { Redis, type RedisOptions } from 'ioredis';
import { OutageLog } from '@ledgerport/core';

export interface RedisConnectionOptions {
  /** Where a lost connection is reported (one line per outage); silent without it. */
  outage?: OutageLog;
  /**
   * A producer (the API) fails a command at once while Redis is unreachable, so a request answers 503
   * instead of hanging; see FAIL_FAST. A worker's connection waits for Redis to come back instead.
   */
  failFast?: boolean;
  redisOptions?: RedisOptions;
}

/**
 * The API's commands: none is queued while disconnected (they fail with "Stream isn't writeable"), and
 * one Redis leaves unanswered fails after 5 s. BullMQ's Queue (unlike its Worker) allows both.
 */
const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5_000 };

/**
 * BullMQ workers block on Redis, so by default ioredis retries forever instead of failing commands
 * after a few attempts (maxRetriesPerRequest: null), or a Redis restart would kill every worker.
 */
export function createRedisConnection(url: string, opts: RedisConnectionOptions = {}): Redis {
  const outage = opts.outage ?? new OutageLog('redis', undefined);
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...(opts.failFast ? FAIL_FAST : {}),
    ...opts.redisOptions,
  });
  // ioredis reconnects on its own; an 'error' event without a listener would crash the process.
  redis.on('error', (err) => outage.down(err));
  redis.on('ready', () => outage.up());
  return redis;
}

/**
 * Whether Redis answers commands now, waiting up to `waitMs` for a connection being (re)made: the
 * API asks before it writes anything an upload needs a job for.
 */
export async function waitForRedis(redis: Redis, waitMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  if (redis.status === 'end' || waitMs <= 0) return false;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), waitMs);
    redis.once('ready', onReady);
  });
}
