import { z } from 'zod';
import { checkStorageEnv, storageEnv } from '@ledgerport/storage';
import { MAX_STALLED_COUNT, checkRedisEnv, redisEnv } from '@ledgerport/queue';
import { CLOSE_SLICE_CLAIMS } from '@ledgerport/db';
import type { WorkbookLimits } from './read/workbook-rows.js';

// The only module that reads process.env; everything else gets a WorkerConfig.
const schema = z.object({
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/ledgerport'),
  /** REDIS_URL, QUEUE_PREFIX, REDIS_CLUSTER_NODES (see @ledgerport/queue) */
  ...redisEnv,
  /** where uploads are kept: STORAGE, UPLOAD_DIR, S3_* (see @ledgerport/storage) */
  ...storageEnv,
  // 5,000. At 10,000 a first import of 1,000,000 rows took 18.5 s against 25.4 s, but the worker's peak
  // grew with the file (1.06-1.14x its warm-up, target 1.10x): memory that grows with the file is what
  // a 10,000,000-row file cannot afford. docs/performance.md has the runs.
  CHUNK_ROWS: z.coerce.number().int().min(1).max(100_000).default(5_000),
  // The location's claims compared with a file per statement when its snapshot closes (see
  // listMissingClaims): each slice is a fraction of a second, and progress moves between them.
  CLOSE_SLICE_CLAIMS: z.coerce.number().int().min(1).max(10_000_000).default(CLOSE_SLICE_CLAIMS),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  // The worker's nice value (see priority.ts): above 0 the API, which answers people, gets the cores
  // first when an import keeps them busy.
  WORKER_NICE: z.coerce.number().int().min(-20).max(19).default(5),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  // How often the reconciler looks for imports no live job owns, and how long an import must have been
  // left untouched before it does anything with it: the API queues a job milliseconds after it inserts
  // the import (its Redis commands give up after 5 s), and a running import moves with every chunk,
  // so 30 s never catches either in between. A job lost from Redis is back in the queue within a minute.
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1_000).default(30_000),
  RECONCILE_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  // Stalls (a worker died holding the job) before BullMQ fails a job; see MAX_STALLED_COUNT.
  MAX_STALLED_COUNT: z.coerce.number().int().min(0).default(MAX_STALLED_COUNT),
  // An XLS (and an HTML "Excel" export) is read whole: these bound the memory one can take. An XLSX
  // streams like a CSV but for its shared strings, which are held whole (at most 2 bytes a
  // character); for it the other limits bound the work, and the uncompressed size stops zip bombs.
  XLSX_MAX_BYTES: z.coerce.number().int().min(1).default(64 * 1024 * 1024),
  XLSX_MAX_CELLS: z.coerce.number().int().min(1).default(6_000_000),
  XLSX_MAX_UNCOMPRESSED_BYTES: z.coerce.number().int().min(1).default(512 * 1024 * 1024),
  XLSX_MAX_SHARED_STRING_CHARS: z.coerce.number().int().min(1).default(16_000_000),
  // The heap of the thread that reads such a workbook whole: a full 65,536-row XLS needs about 450 MB.
  WORKBOOK_READER_MAX_HEAP_MB: z.coerce.number().int().min(16).default(640),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prometheus metrics at /metrics on this port (of METRICS_HOST), kept private; unset, none are served */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
}).superRefine(checkStorageEnv)
  .superRefine(checkRedisEnv);

export type WorkerConfig = z.infer<typeof schema>;

export function workbookLimits(config: WorkerConfig): WorkbookLimits {
  return {
    maxBytes: config.XLSX_MAX_BYTES,
    maxCells: config.XLSX_MAX_CELLS,
    maxUncompressedBytes: config.XLSX_MAX_UNCOMPRESSED_BYTES,
    maxSharedStringChars: config.XLSX_MAX_SHARED_STRING_CHARS,
    maxReaderHeapMb: config.WORKBOOK_READER_MAX_HEAP_MB,
  };
}

export class ConfigError extends Error {}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid worker configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
