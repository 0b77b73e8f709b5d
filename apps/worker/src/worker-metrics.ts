import type { Job, Worker } from 'bullmq';
import type pg from 'pg';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface WorkerMetrics {
  /** Seconds one chunk's merge into claims took. */
  chunkMerged: (seconds: number) => void;
  /** Feeds the rest from the import worker's events. */
  watch: (worker: Worker) => void;
}

const FINAL = new Set(['completed', 'ready', 'failed', 'cancelled']);

/**
 * The worker's own metrics, fed by its import worker's events and by the merge: imports finished by
 * kind and outcome, rows read, time from upload to a worker taking it, stalls, merge time per chunk.
 */
export function workerMetrics(registry: Registry, pool: pg.Pool): WorkerMetrics {
  const finished = new Counter({
    name: 'ledgerport_imports_finished_total',
    help: 'Imports that reached a final state (completed, ready for review, failed, cancelled), by kind.',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const rows = new Counter({
    name: 'ledgerport_import_rows_total',
    help: 'Rows of files read by this worker (rate() of it is rows per second).',
    registers: [registry],
  });
  const toActive = new Histogram({
    name: 'ledgerport_upload_to_active_seconds',
    help: 'From an import being queued to a worker taking it, first attempts only.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120],
    registers: [registry],
  });
  const stalls = new Counter({
    name: 'ledgerport_job_stalls_total',
    help: 'Jobs found stalled (their worker died or hung) and queued again.',
    registers: [registry],
  });
  const merge = new Histogram({
    name: 'ledgerport_chunk_merge_seconds',
    help: "One chunk's merge into claims.",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const lastRows = new Map<string, number>();
  const watch = (worker: Worker) => {
    worker.on('active', (job: Job) => {
      if (job.attemptsMade === 0 && !job.stalledCounter)
        toActive.observe(Math.max(0, Date.now() - job.timestamp) / 1000);
    });
    worker.on('progress', (job: Job, progress: unknown) => {
      const read = (progress as { rowsRead?: unknown } | null)?.rowsRead;
      if (typeof read !== 'number' || !job.id) return;
      const before = lastRows.get(job.id) ?? 0;
      if (read > before) rows.inc(read - before);
      lastRows.set(job.id, read);
    });
    worker.on('stalled', () => stalls.inc());
    const settle = (job: Job | undefined) => {
      if (!job?.id) return;
      lastRows.delete(job.id);
      pool
        .query<{ kind: string; status: string }>('select kind, status from imports where id = $1', [job.id])
        .then(({ rows: r }) => {
          const imp = r[0];
          if (imp && FINAL.has(imp.status)) finished.inc({ kind: imp.kind, outcome: imp.status });
        })
        .catch(() => undefined);
    };
    worker.on('completed', (job: Job) => settle(job));
    worker.on('failed', (job: Job | undefined) => settle(job));
  };
  return { chunkMerged: (seconds) => merge.observe(seconds), watch };
}
