import { z } from 'zod';

/**
 * The one place that says which jobs exist, what they carry and how they retry. Payloads carry ids
 * only: Redis keeps job data in clear text, and patient data must not sit there.
 */
export const QUEUE_NAMES = { imports: 'imports', maintenance: 'maintenance' } as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** The import, and the id of the API request that queued it (so its logs and the worker's line up). */
export const processImportPayload = z.object({ importId: z.uuid(), requestId: z.string().max(64).optional() });
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
  /** Finds queued or running imports no live job owns and re-queues or fails them (apps/worker reconciler). */
  reconcileImports: {
    queue: QUEUE_NAMES.maintenance,
    name: 'reconcile-imports',
    payload: maintenancePayload,
    backoff: { type: 'fixed' as const, delay: 10_000 },
  },
  /**
   * Deletes stored files (and the cells read from them) whose practice's retention has run out, and
   * those of discarded imports at once: hourly, and asked for by the API after a discard.
   */
  applyRetention: {
    queue: QUEUE_NAMES.maintenance,
    name: 'apply-retention',
    payload: maintenancePayload,
    backoff: { type: 'fixed' as const, delay: 60_000 },
  },
} as const;

/**
 * Lock and stall timings. A worker that dies (kill -9) stops renewing its lock (renewed every
 * LOCK_DURATION_MS / 2); the lock expires at most LOCK_DURATION_MS after the death, and the next
 * stalled check of any live worker (every STALLED_INTERVAL_MS; it moves a job that the check before
 * it marked and that has no lock) puts the job back in the queue: about 5 + 2 s after the death,
 * however long before it the other worker started. Measured with the SIGKILL test: the import moved again 4.9-7.0 s
 * after the rescuer started (BullMQ's defaults, 30 s each, take up to a minute). A shorter lock would
 * risk taking a job from a healthy worker whose event loop is held up for more than 2.5 s.
 */
export const LOCK_DURATION_MS = 5_000;
export const STALLED_INTERVAL_MS = 2_000;

/**
 * A worker that dies is not the import's fault, so a stalled job is picked up again rather than failed
 * (with a limit of 3 the fourth kill -9 failed the job, "job stalled more than allowable limit", and
 * BullMQ did so without calling the processor, so the import stayed `running` for good). Not unbounded: a file that kills every worker that reads it (the
 * kernel's OOM killer) would otherwise go round for ever; at ~7 s a round this cap is hours of it, and
 * then the reconciler fails the import with a message and tells the uploader.
 */
export const MAX_STALLED_COUNT = 1_000;
