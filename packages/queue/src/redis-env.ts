import { z } from 'zod';

/**
 * The Redis settings every process reads, spread into each app's config schema. One Redis by default;
 * REDIS_CLUSTER_NODES (host:port, separated by commas; any few nodes, the rest are discovered) makes
 * it a Redis Cluster, reached with the user, password and TLS of REDIS_URL.
 */
export const redisEnv = {
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().min(1).default('ledgerport'),
  REDIS_CLUSTER_NODES: z.string().optional(),
};

export type RedisEnv = z.infer<z.ZodObject<typeof redisEnv>>;

export interface ClusterNode {
  host: string;
  port: number;
}

/** "10.0.0.1:7000, redis-2:7001" → nodes; null for anything that is not a list of host:port. */
export function parseClusterNodes(list: string): ClusterNode[] | null {
  const nodes = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
      const port = Number(m?.[2]);
      return m?.[1] && port > 0 && port < 65536 ? { host: m[1].replace(/^\[|\]$/g, ''), port } : null;
    });
  return nodes.length && nodes.every((n) => n !== null) ? nodes : null;
}

/**
 * A BullMQ queue's keys must sit in one hash slot of a cluster (its Lua scripts touch several at
 * once), which a hash tag in the prefix does: `{ledgerport}` rather than `ledgerport`.
 */
export function hasHashTag(prefix: string): boolean {
  return /\{[^{}]+\}/.test(prefix);
}

export function checkRedisEnv(env: RedisEnv, ctx: z.RefinementCtx): void {
  if (env.REDIS_CLUSTER_NODES === undefined) return;
  if (!parseClusterNodes(env.REDIS_CLUSTER_NODES))
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_CLUSTER_NODES'],
      message: 'expected host:port of one or more cluster nodes, separated by commas (e.g. redis-1:7000,redis-2:7000)',
    });
  if (!hasHashTag(env.QUEUE_PREFIX))
    ctx.addIssue({
      code: 'custom',
      path: ['QUEUE_PREFIX'],
      message: `on a Redis Cluster the prefix needs a hash tag so each queue's keys share a slot: QUEUE_PREFIX={${env.QUEUE_PREFIX.replace(/[{}]/g, '')}}`,
    });
}

/** Where the processes' Redis is: the URL alone, or the cluster's nodes with the URL's credentials. */
export interface RedisTarget {
  url: string;
  clusterNodes?: ClusterNode[] | undefined;
}

export function redisTargetOf(env: RedisEnv): RedisTarget {
  const nodes = env.REDIS_CLUSTER_NODES === undefined ? null : parseClusterNodes(env.REDIS_CLUSTER_NODES);
  return nodes ? { url: env.REDIS_URL, clusterNodes: nodes } : { url: env.REDIS_URL };
}
