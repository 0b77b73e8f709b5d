import { UnrecoverableError, type Job } from 'bullmq';
import type { JOBS } from '@ledgerport/queue';

type MaintenanceJobName =
  | typeof JOBS.expireStaged.name
  | typeof JOBS.reconcileImports.name
  | typeof JOBS.applyRetention.name;

/** The maintenance queue's processor: each catalog job of that queue runs its own task. */
export function createMaintenanceProcessor(tasks: Record<MaintenanceJobName, () => Promise<void>>) {
  const known = new Map<string, () => Promise<void>>(Object.entries(tasks));
  return async (job: Job): Promise<void> => {
    const task = known.get(job.name);
    if (!task) throw new UnrecoverableError(`no maintenance task is called "${job.name}"`);
    await task();
  };
}
