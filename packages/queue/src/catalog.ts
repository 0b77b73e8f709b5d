import { z } from 'zod';

/**
 * The one place that says which jobs exist, what they carry and how they retry. Payloads carry ids
 * only: Redis keeps job data in clear text, and patient data must not sit there.
 */
export const QUEUE_NAMES = { imports: 'imports', maintenance: 'maintenance' } as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export const processImportPayload = z.object({ importId: z.uuid() });
export type ProcessImportPayload = z.infer<typeof processImportPayload>;

export const maintenancePayload = z.object({});
export type MaintenancePayload = z.infer<typeof maintenancePayload>;

export const JOBS = {
  processImport: {
    queue: QUEUE_NAMES.imports,
    name: 'process-import',
    payload: processImportPayload,
    backoff: { type: 'exponential' as const, delay: 2000 },
  },
  expireStaged: {
    queue: QUEUE_NAMES.maintenance,
    name: 'expire-staged-imports',
    payload: maintenancePayload,
    backoff: { type: 'fixed' as const, delay: 60_000 },
  },
} as const;

/**
 * Lock and stall timings: a worker that dies (kill -9) stops renewing its lock; the lock expires after
 * LOCK_DURATION_MS and another worker's stalled check (every STALLED_INTERVAL_MS) takes the job, so
 * a dead worker's import resumes within about 8 s instead of BullMQ's default ~60 s. Chunks are small
 * enough that a healthy worker renews its lock (every lockDuration/2) long before it expires.
 */
export const LOCK_DURATION_MS = 5_000;
export const STALLED_INTERVAL_MS = 3_000;
export const MAX_STALLED_COUNT = 3;
