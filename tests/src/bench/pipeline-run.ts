// One measured import through the running API and worker, and the upload → active latency probe.
import type pg from 'pg';
import {
  pollImport,
  uploadFile,
  type ApiTarget,
  type ImportStatusView,
  type Poll,
  type UploadResult,
} from './api-client.js';
import { cpuSeconds, machineBusySeconds } from './processes.js';

export interface ImportTimes {
  createdMs: number;
  startedMs: number;
  /** when the commit phase began (phase_started_at once the worker is committing) */
  committingMs: number | null;
  /**
   * finished_at as stored. It is now() of the finalize transaction, i.e. when finalize *began*, so
   * it is not when the import became visible as completed; see completedMs.
   */
  finishedMs: number;
  /**
   * When the import became completed, as the polls saw it: halfway between the last poll that saw it
   * unfinished and the first that saw it completed (± half a poll interval).
   */
  completedMs: number;
}

export interface ImportRun {
  id: string;
  upload: UploadResult;
  polls: Poll[];
  final: ImportStatusView;
  times: ImportTimes;
  /** from just before the upload request to the import's completion */
  seconds: number;
  /** CPU the worker process used, and the whole machine, while the import ran (core-seconds) */
  cpu: { workerSeconds: number; machineSeconds: number } | null;
}

/** Timestamps Postgres wrote on the import row, as ms since the epoch (same clock as Date.now() here). */
export async function importTimes(pool: pg.Pool, id: string, polls: readonly Poll[]): Promise<ImportTimes> {
  const { rows } = await pool.query<{
    created: number;
    started: number | null;
    committing: number | null;
    finished: number | null;
    phase: string;
  }>(
    `select extract(epoch from created_at)::float8 * 1000 as created, extract(epoch from started_at)::float8 * 1000 as started,
       extract(epoch from phase_started_at)::float8 * 1000 as committing, extract(epoch from finished_at)::float8 * 1000 as finished
     from imports where id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r || r.started === null || r.finished === null) throw new Error(`import ${id} has no started_at/finished_at`);
  const done = polls.findIndex((p) => p.view.status === 'completed');
  const seen = polls[done]?.atMs ?? r.finished;
  const before = polls[done - 1]?.atMs ?? seen;
  const completedMs = Math.max(r.finished, (before + seen) / 2);
  return {
    createdMs: r.created,
    startedMs: r.started,
    committingMs: r.committing,
    finishedMs: r.finished,
    completedMs,
  };
}

export interface RunOptions {
  pollMs: number;
  timeoutMs: number;
  /** called with a line now and then while a long import runs, so a slow run shows where it is */
  progress?: (line: string) => void;
  /** the worker's pid, to account its CPU time */
  workerPid?: number;
}

// How often a long import says where it is.
const PROGRESS_EVERY_MS = 15_000;

export async function runImport(
  api: ApiTarget,
  pool: pg.Pool,
  file: string,
  locationId: string,
  o: RunOptions,
): Promise<ImportRun> {
  const cpuBefore =
    o.workerPid === undefined ? null : { worker: await cpuSeconds(o.workerPid), machine: await machineBusySeconds() };
  const upload = await uploadFile(api, file, locationId);
  const id = upload.body.id;
  if (upload.status !== 202 || !id)
    throw new Error(`upload of ${file} answered ${upload.status}: ${JSON.stringify(upload.body)}`);
  let lastSaid = upload.startedAtMs;
  const polls = await pollImport(api, id, o.pollMs, o.timeoutMs, (p) => {
    if (!o.progress || p.atMs - lastSaid < PROGRESS_EVERY_MS) return;
    lastSaid = p.atMs;
    const v = p.view;
    o.progress(
      `  ${((p.atMs - upload.startedAtMs) / 1000).toFixed(0)} s: ${v.status}/${v.phase} ${v.percent} %, ` +
        `read ${v.rowsRead.toLocaleString('en-US')}, committed ${v.rowsCommitted.toLocaleString('en-US')}, ETA ${v.etaSeconds ?? '?'} s`,
    );
  });
  if (process.env.BENCH_DUMP_POLLS)
    (await import('node:fs')).appendFileSync(
      process.env.BENCH_DUMP_POLLS,
      polls.map((p) => JSON.stringify({ t: p.atMs - upload.startedAtMs, ...p.view })).join('\n') + '\n',
    );
  const final = polls.at(-1)?.view;
  if (!final) throw new Error(`no status for import ${id}`);
  const cpu =
    cpuBefore && o.workerPid !== undefined
      ? {
          workerSeconds: (await cpuSeconds(o.workerPid)) - cpuBefore.worker,
          machineSeconds: (await machineBusySeconds()) - cpuBefore.machine,
        }
      : null;
  const times = await importTimes(pool, id, polls);
  return { id, upload, polls, final, times, seconds: (times.completedMs - upload.startedAtMs) / 1000, cpu };
}

export interface PhaseBreakdown {
  uploadSeconds: number;
  queuedSeconds: number;
  stagingSeconds: number | null;
  /** ≈: up to the first poll that saw every row committed */
  mergingSeconds: number | null;
  /** ≈: from that poll to completion (resolving missing claims, summary, notifications) */
  finalizeSeconds: number | null;
}

export function phaseBreakdown(run: ImportRun): PhaseBreakdown {
  const t = run.times;
  const allCommitted = run.polls.find(
    (p) => p.view.rowsCommitted >= run.final.rowsCommitted && run.final.rowsCommitted > 0,
  );
  const committing = t.committingMs !== null && t.committingMs >= t.startedMs ? t.committingMs : null;
  const mergedAt = allCommitted ? Math.min(allCommitted.atMs, t.completedMs) : null;
  return {
    uploadSeconds: run.upload.seconds,
    queuedSeconds: (t.startedMs - t.createdMs) / 1000,
    stagingSeconds: committing === null ? null : (committing - t.startedMs) / 1000,
    mergingSeconds: committing === null || mergedAt === null ? null : (mergedAt - committing) / 1000,
    finalizeSeconds: mergedAt === null ? null : (t.completedMs - mergedAt) / 1000,
  };
}

/**
 * Upload → active: for each small file, the import row's started_at (set when a worker takes the job)
 * minus the wall clock just before the upload request. One file at a time, each after the worker has
 * finished the last one and gone back to waiting.
 */
export async function measureUploadToActive(
  api: ApiTarget,
  pool: pg.Pool,
  files: readonly string[],
  locationId: string,
): Promise<number[]> {
  const latencies: number[] = [];
  for (const file of files) {
    // Lets the worker finish its bookkeeping for the previous job and block on the queue again.
    await new Promise((r) => setTimeout(r, 300));
    const run = await runImport(api, pool, file, locationId, { pollMs: 50, timeoutMs: 120_000 });
    latencies.push(run.times.startedMs - run.upload.startedAtMs);
  }
  return latencies;
}
