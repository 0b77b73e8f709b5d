import { z } from 'zod';

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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
