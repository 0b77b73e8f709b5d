import { isIP } from 'node:net';
import { z } from 'zod';
import { checkStorageEnv, storageEnv } from '@ledgerport/storage';
import { checkRedisEnv, redisEnv } from '@ledgerport/queue';

// What Express's "trust proxy" takes in a list: a named range, an address, or an address/prefix.
function isProxyAddress(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  if (['loopback', 'linklocal', 'uniquelocal'].includes(address)) return prefix === undefined;
  const family = isIP(address);
  if (!family || rest.length) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

// The only module that reads process.env; everything else gets an ApiConfig.
const schema = z.object({
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/ledgerport'),
  /** REDIS_URL, QUEUE_PREFIX, REDIS_CLUSTER_NODES (see @ledgerport/queue) */
  ...redisEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** where uploads are kept: STORAGE, UPLOAD_DIR, S3_* (see @ledgerport/storage) */
  ...storageEnv,
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(512 * 1024 * 1024),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  WEB_DIR: z.string().optional(),
  /**
   * how long a valid token's user is remembered; a revoked token, a deactivated or demoted user is
   * forgotten at once by every API process (a Redis counter each request reads), this only bounds a
   * change made straight in the database
   */
  AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** a new API token's life when its maker names none */
  API_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** the longest life a user may give a token they make */
  API_TOKEN_MAX_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** rate limits, counted in Redis so they hold across API processes; each counts per window */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** requests per token per window (a page polling every second makes about 60 a minute); 0: no limit */
  RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(0).default(1200),
  /** requests per client address per window (an office behind one address); 0: no limit */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(3000),
  /** refused tokens per client address per window before it is refused without a lookup; 0: no limit */
  RATE_LIMIT_AUTH_FAILURES_PER_IP: z.coerce.number().int().min(0).default(30),
  /** the queue dashboard's retry, clean, pause, … buttons and API calls; off, it only shows */
  QUEUE_DASHBOARD_WRITABLE: z.stringbool().default(false),
  /** an operator's dashboard session ends this long after it was last used … */
  OPERATOR_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** … and this long after sign-in, used or not */
  OPERATOR_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(8),
  /** a person's page session ends this long after it was last used … */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** … and this long after sign-in, used or not */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  /**
   * the page's session cookie is Secure on every request (true), or only on one that came over TLS,
   * directly or through a proxy TRUST_PROXY believes (false, the default: plain http on a developer's
   * machine would otherwise never get the cookie back)
   */
  SESSION_COOKIE_SECURE: z.stringbool().default(false),
  /** the page's address as people reach it (https://ledgerport.example.com), for invitation and reset links; unset: the address the admin's request came to */
  PUBLIC_URL: z.url().optional(),
  /** how long an invitation link works */
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /** how long a password reset link works */
  RESET_LINK_TTL_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(24),
  /** wrong passwords for one email per SIGN_IN_WINDOW_MINUTES before its sign-in waits; 0: no limit */
  SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(0).default(5),
  /** wrong passwords from one client address per SIGN_IN_WINDOW_MINUTES; 0: no limit */
  SIGN_IN_FAILURES_PER_IP: z.coerce.number().int().min(0).default(20),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /**
   * Express's "trust proxy": whose X-Forwarded-Proto to believe, so a request that reached a TLS proxy
   * gets a Secure session cookie. "loopback" (a proxy on this machine), addresses/subnets separated by
   * commas, a number of hops, or true/false.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .refine(
      (v) => /^(true|false|\d+)$/.test(v) || v.split(',').every(isProxyAddress),
      'expected true, false, a number of hops, or addresses/subnets (loopback, 10.0.0.0/8, …) separated by commas',
    )
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prometheus metrics at /metrics on this port (HOST), apart from the API's; unset, none are served */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
}).superRefine(checkStorageEnv)
  .superRefine(checkRedisEnv);

export type ApiConfig = z.infer<typeof schema>;

const refinedSchema = schema.refine((c) => c.API_TOKEN_TTL_DAYS <= c.API_TOKEN_MAX_TTL_DAYS, {
  path: ['API_TOKEN_TTL_DAYS'],
  message: 'must not be more than API_TOKEN_MAX_TTL_DAYS',
});

export class ConfigError extends Error {}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = refinedSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid API configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
