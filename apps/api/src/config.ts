import { isIP } from 'node:net';
import { z } from 'zod';

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
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().min(1).default('ledgerport'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  UPLOAD_DIR: z.string().min(1).default('var/uploads'),
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(512 * 1024 * 1024),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  WEB_DIR: z.string().optional(),
  /** how long a valid token's user is remembered; a deactivated user keeps access this long */
  AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** the queue dashboard's retry, clean, pause, … buttons and API calls; off, it only shows */
  QUEUE_DASHBOARD_WRITABLE: z.stringbool().default(false),
  /** an operator's dashboard session ends this long after it was last used … */
  OPERATOR_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** … and this long after sign-in, used or not */
  OPERATOR_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(8),
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
});

export type ApiConfig = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid API configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
