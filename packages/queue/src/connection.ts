import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { OutageLog } from '@ledgerport/core';
import type { RedisTarget } from './redis-env.js';

/** One Redis or a Redis Cluster: BullMQ, and everything else here, takes either. */
export type RedisClient = Redis | Cluster;

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
export function createRedisConnection(target: string | RedisTarget, opts: RedisConnectionOptions = {}): RedisClient {
  const outage = opts.outage ?? new OutageLog('redis', undefined);
  const { url, clusterNodes } = typeof target === 'string' ? { url: target, clusterNodes: undefined } : target;
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...(opts.failFast ? FAIL_FAST : {}),
    ...opts.redisOptions,
  };
  const redis: RedisClient = clusterNodes?.length
    ? new Cluster(clusterNodes, {
        redisOptions: { ...options, ...credentialsOf(url) },
        // The cluster's own copy of the fail-fast choice: commands wait for a slot map, or fail at once.
        enableOfflineQueue: options.enableOfflineQueue ?? true,
        enableReadyCheck: true,
      })
    : new Redis(url, options);
  // ioredis reconnects on its own; an 'error' event without a listener would crash the process.
  redis.on('error', (err: Error) => outage.down(err));
  redis.on('ready', () => outage.up());
  return redis;
}

/** The user, password and TLS of a redis:// or rediss:// URL, for every node of a cluster. */
function credentialsOf(url: string): RedisOptions {
  const u = new URL(url);
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Whether Redis answers commands now, waiting up to `waitMs` for a connection being (re)made: the
 * API asks before it writes anything an upload needs a job for.
 */
export async function waitForRedis(redis: RedisClient, waitMs: number): Promise<boolean> {
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
