import { DelayedError } from 'bullmq';
import type { Logger } from 'pino';
import { coerceError, describeFault } from '@ledgerport/core';
import { isDatabaseUnavailable } from '@ledgerport/db';
import type { ImportJob } from '@ledgerport/queue';

/**
 * How soon a job that found Postgres unreachable looks again. Short: a restart takes seconds, and
 * each look costs one failed connection attempt.
 */
export const DATABASE_RETRY_MS = 5_000;

type Processor = (job: ImportJob, token?: string) => Promise<void>;

/**
 * Postgres going away (stopped, restarted, out of connections) is not the import's fault: its job
 * goes back to the queue without spending an attempt, and looks again until the database answers;
 * then the import resumes from its checkpoints like any retry. Any other error passes through, to be
 * counted against the import's attempts as before.
 */
export function waitOutDatabaseOutages(processor: Processor, logger: Logger, retryMs = DATABASE_RETRY_MS): Processor {
  return async (job, token) => {
    try {
      await processor(job, token);
    } catch (e) {
      const err = coerceError(e);
      if (!isDatabaseUnavailable(err)) throw err;
      logger.warn(
        { jobId: job.id, error: describeFault(err), retryMs },
        'database unreachable; the import waits for it without spending an attempt',
      );
      if (token) await job.moveToDelayed(Date.now() + retryMs, token);
      throw new DelayedError();
    }
  };
}
