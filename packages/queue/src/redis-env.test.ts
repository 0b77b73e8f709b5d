import { z } from 'zod';
import { checkRedisEnv, hasHashTag, parseClusterNodes, redisEnv, redisTargetOf } from './redis-env.js';

const schema = z.object(redisEnv).superRefine(checkRedisEnv);
const problems = (env: Record<string, string>) => {
  const r = schema.safeParse(env);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

it('reads one Redis by default and a cluster from its nodes', () => {
  expect(redisTargetOf(schema.parse({}))).toEqual({ url: 'redis://127.0.0.1:6379' });
  expect(redisTargetOf(schema.parse({ REDIS_CLUSTER_NODES: 'redis-1:7000, 10.0.0.2:7001,[::1]:7002', QUEUE_PREFIX: '{lp}' }))).toEqual({
    url: 'redis://127.0.0.1:6379',
    clusterNodes: [
      { host: 'redis-1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ],
  });
});

it('refuses node lists it cannot read and a cluster prefix without a hash tag, saying what to set', () => {
  expect(parseClusterNodes('redis-1')).toBeNull();
  expect(parseClusterNodes('redis-1:99999')).toBeNull();
  expect(parseClusterNodes('')).toBeNull();
  expect(problems({ REDIS_CLUSTER_NODES: 'redis-1', QUEUE_PREFIX: '{lp}' })).toEqual([
    expect.stringMatching(/^REDIS_CLUSTER_NODES: expected host:port/),
  ]);
  expect(problems({ REDIS_CLUSTER_NODES: 'redis-1:7000', QUEUE_PREFIX: 'ledgerport' })).toEqual([
    expect.stringContaining('QUEUE_PREFIX={ledgerport}'),
  ]);
  // One Redis takes any prefix.
  expect(problems({ QUEUE_PREFIX: 'ledgerport' })).toEqual([]);
  expect(hasHashTag('{ledgerport}')).toBe(true);
  expect(hasHashTag('app-{}')).toBe(false);
});
