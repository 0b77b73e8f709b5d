import { Redis, type RedisOptions } from 'ioredis';

/**
 * BullMQ workers block on Redis, so ioredis must retry forever instead of failing commands after a
 * few attempts (maxRetriesPerRequest: null), or a Redis restart would kill every worker.
 */
export function createRedisConnection(url: string, opts: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...opts });
  // Connection errors are retried by ioredis; without a listener they would crash the process.
  redis.on('error', () => undefined);
  return redis;
}
