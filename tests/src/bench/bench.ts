// `npm run bench`: the hand-written Postgres floor and the real pipeline (API + one worker, default
// settings) on the same generated aging files, then one table of the targets. Run it through
// infra/scripts/bench.mjs, which sets up and builds first.
import { randomBytes, randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createRedisConnection } from '@ledgerport/queue';
import { uploadFile } from './api-client.js';
import { parseArgs, UsageError, type BenchArgs } from './args.js';
import {
  FLOOR_DB,
  LEAN_DB,
  PIPELINE_DB,
  adminUser,
  checkpoint,
  dropDatabase,
  emptyDatabase,
  freshDatabase,
  locationId,
  lockBench,
  withAdmin,
} from './databases.js';
import { explainMergeChunks, type ExplainIds } from './explain-merge.js';
import { generateBenchFiles, writeUploadFile } from './files.js';
import { floorImport } from './floor.js';
import { createLeanSchema, leanImport } from './lean-floor.js';
import { measureUploadToActive, runImport } from './pipeline-run.js';
import { freePort, logTail, procMemory, spawnService, stopService, waitForHealth, type Service } from './processes.js';
import { describeMachine, renderTable } from './report.js';
import { buildLines, type Measurements } from './targets.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BENCH_DIR = path.join(ROOT, 'var/bench');
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ledgerport';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STATUS_POLL_MS = 200;
/** The API's MAX_UPLOAD_BYTES when it is not set (apps/api/src/config.ts). */
const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

const say = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** Teardown steps, run last-added first, once, whether the run finished, crashed or was interrupted. */
class Cleanup {
  private steps: Array<{ name: string; fn: () => Promise<unknown> }> = [];
  private running: Promise<void> | null = null;
  add(name: string, fn: () => Promise<unknown>): void {
    this.steps.push({ name, fn });
  }
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const s of this.steps.reverse()) {
        try {
          await s.fn();
        } catch (e) {
          say(`cleanup: ${s.name} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    })();
    return this.running;
  }
}

async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = createRedisConnection(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

async function postgresDescription(): Promise<string> {
  return withAdmin(DATABASE_URL, async (c) => {
    // autovacuum decides whether the merge ever runs on table statistics, so it is named here.
    const { rows } = await c.query<{ v: string; sb: string; wal: string; sync: string; wm: string; av: string }>(
      `select split_part(version(), ' on ', 1) as v, current_setting('shared_buffers') as sb, current_setting('max_wal_size') as wal,
         current_setting('synchronous_commit') as sync, current_setting('work_mem') as wm, current_setting('autovacuum') as av`,
    );
    const r = rows[0];
    return r
      ? `postgres: ${r.v} on the same machine; shared_buffers ${r.sb}, work_mem ${r.wm}, max_wal_size ${r.wal}, synchronous_commit ${r.sync}, autovacuum ${r.av}`
      : '';
  });
}

type Run = Measurements & { pipeline: { url: string; ids: ExplainIds } };

async function measure(args: BenchArgs, cleanup: Cleanup, services: Service[]): Promise<Run> {
  // A smoke run waits less: it runs inside the test suite's time limit.
  const lock = await lockBench(DATABASE_URL, args.smoke ? 120_000 : 1_800_000, () =>
    say('another benchmark is running on this server; waiting for it …'),
  );
  cleanup.add('release the bench lock', () => lock.end());
  // Holding the lock, any lp-bench-* keys are a killed run's leftovers.
  await removeRedisKeys('lp-bench-*');

  say(`generating ${args.rows.toLocaleString('en-US')} rows into ${path.relative(ROOT, BENCH_DIR)}/ …`);
  if (!args.keep) cleanup.add('remove var/bench', () => rm(BENCH_DIR, { recursive: true, force: true }));
  const files = await generateBenchFiles(BENCH_DIR, args.rows);

  say('creating fresh bench databases …');
  if (!args.keep) {
    cleanup.add(`drop ${FLOOR_DB}`, () => dropDatabase(DATABASE_URL, FLOOR_DB));
    cleanup.add(`drop ${PIPELINE_DB}`, () => dropDatabase(DATABASE_URL, PIPELINE_DB));
    cleanup.add(`drop ${LEAN_DB}`, () => dropDatabase(DATABASE_URL, LEAN_DB));
  }
  const leanUrl = await emptyDatabase(DATABASE_URL, LEAN_DB);
  await createLeanSchema(leanUrl);
  const floorDb = await freshDatabase(DATABASE_URL, FLOOR_DB);
  const pipeDb = await freshDatabase(DATABASE_URL, PIPELINE_DB);

  say('lean floor: first import …');
  await checkpoint(DATABASE_URL);
  const leanFirst = await leanImport(leanUrl, files.first, 1);
  say(`  ${leanFirst.seconds.toFixed(2)} s (COPY ${leanFirst.copySeconds.toFixed(2)} s)`);
  say('lean floor: re-import …');
  await checkpoint(DATABASE_URL);
  const leanSecond = await leanImport(leanUrl, files.second, 2);
  say(`  ${leanSecond.seconds.toFixed(2)} s (COPY ${leanSecond.copySeconds.toFixed(2)} s)`);
  // Its tables are not needed again; their pages should not crowd the pipeline's out of the cache.
  if (!args.keep) await dropDatabase(DATABASE_URL, LEAN_DB);

  say('floor: first import …');
  const floorIds = {
    practiceId: floorDb.seed.practice.id,
    locationId: locationId(floorDb.seed, 'Main Street'),
    userId: adminUser(floorDb.seed).id,
  };
  await checkpoint(DATABASE_URL);
  const floorFirst = await floorImport(floorDb.url, floorIds, files.first, randomUUID());
  say(`  ${floorFirst.seconds.toFixed(2)} s (COPY ${floorFirst.copySeconds.toFixed(2)} s)`);
  say('floor: re-import …');
  await checkpoint(DATABASE_URL);
  const floorSecond = await floorImport(floorDb.url, floorIds, files.second, randomUUID());
  say(`  ${floorSecond.seconds.toFixed(2)} s (COPY ${floorSecond.copySeconds.toFixed(2)} s)`);
  const floorResolved = await withPool(floorDb.url, async (p) => {
    const { rows } = await p.query<{ n: number }>(
      'select count(*)::int as n from claims where resolved_at is not null',
    );
    return rows[0]?.n ?? -1;
  });

  const prefix = `lp-bench-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: pipeDb.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    UPLOAD_DIR: path.join(BENCH_DIR, 'uploads'),
    PORT: String(port),
    HOST: '127.0.0.1',
    // It polls every 50 ms while timing uploads (1,200 a minute, the default limit per token): the
    // bench measures the pipeline, not the rate limits.
    RATE_LIMIT_PER_TOKEN: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
    // 10,000,000 rows are about 850 MB, past the default limit of an upload (512 MB).
    ...(files.firstBytes > DEFAULT_MAX_UPLOAD_BYTES
      ? { MAX_UPLOAD_BYTES: String(Math.ceil(files.firstBytes * 1.1)) }
      : {}),
  };
  cleanup.add(`remove Redis keys ${prefix}:*`, () => removeRedisKeys(prefix));
  say(`starting the API (${url}) and one worker, queue prefix ${prefix} …`);
  const api = spawnService('api', 'apps/api/dist/main.js', ROOT, env, path.join(BENCH_DIR, 'api.log'));
  const worker = spawnService('worker', 'apps/worker/dist/main.js', ROOT, env, path.join(BENCH_DIR, 'worker.log'));
  services.push(api, worker);
  cleanup.add('stop the API and the worker', () => Promise.all([stopService(api), stopService(worker)]));
  await waitForHealth(url, api);

  const target = { url, token: adminUser(pipeDb.seed).token };
  const riverside = locationId(pipeDb.seed, 'Riverside');
  const mainStreet = locationId(pipeDb.seed, 'Main Street');
  // Generous: a slow pipeline is a finding to report, not a reason to give up early.
  const big = {
    pollMs: STATUS_POLL_MS,
    timeoutMs: Math.max(600_000, args.rows * 10),
    progress: say,
    workerPid: worker.pid,
  };

  return withPool(pipeDb.url, async (pool) => {
    const live = () => {
      for (const s of services)
        if (s.hasExited()) throw new Error(`${s.name} exited during the benchmark (see ${s.logFile})`);
    };
    say(`pipeline: warm-up import of ${Math.floor(args.rows / 10).toLocaleString('en-US')} rows (Riverside) …`);
    const warmup = await runImport(target, pool, files.warmup, riverside, big);
    say(`  ${warmup.seconds.toFixed(2)} s`);
    const workerWarmupPeak = await procMemory(worker.pid, 'VmHWM');

    say(`pipeline: upload → active latency, ${files.latency.length} small files one at a time …`);
    // A location of their own: after the warm-up, the first 5-row file would close Riverside's
    // thousands of claims, and such a file waits for an administrator instead of completing.
    const { rows: probe } = await pool.query<{ id: string }>(
      `insert into locations (practice_id, name) values ($1, 'Latency probe') returning id`,
      [pipeDb.seed.practice.id],
    );
    const latencyLocation = probe[0]?.id;
    if (!latencyLocation) throw new Error('could not create the latency probe location');
    const uploadToActiveMs = await measureUploadToActive(target, pool, files.latency, latencyLocation);
    live();

    say('pipeline: first import (Main Street) …');
    await checkpoint(DATABASE_URL);
    const first = await runImport(target, pool, files.first, mainStreet, big);
    say(`  ${first.seconds.toFixed(2)} s`);
    say('pipeline: re-import …');
    await checkpoint(DATABASE_URL);
    const second = await runImport(target, pool, files.second, mainStreet, big);
    say(`  ${second.seconds.toFixed(2)} s`);
    // The night after: a re-import whose location has a close behind it, which its time left counts on.
    say("pipeline: the next night's re-import …");
    await checkpoint(DATABASE_URL);
    const third = await runImport(target, pool, files.third, mainStreet, big);
    say(`  ${third.seconds.toFixed(2)} s`);
    const workerPeak = await procMemory(worker.pid, 'VmHWM');
    live();
    // Staged rows are deleted after each import; where nothing vacuums, their dead tuples stay and every scan pays for them.
    const { rows: sizeRows } = await pool.query<{ staged: number; claims: number }>(
      `select (select coalesce(sum(pg_total_relation_size(inhrelid)), 0) from pg_inherits where inhparent = 'staged_claims'::regclass)::float8 as staged,
         pg_total_relation_size('claims')::float8 as claims`,
    );
    const tableBytes = { stagedClaims: sizeRows[0]?.staged ?? 0, claims: sizeRows[0]?.claims ?? 0 };

    const apiPeakBefore = await procMemory(api.pid, 'VmHWM');
    let bigUpload: Measurements['bigUpload'] = null;
    if (!args.smoke) {
      const file = path.join(BENCH_DIR, 'big-upload.csv');
      const bytes = await writeUploadFile(file, args.uploadMb * 1024 * 1024);
      say(`API: receiving a ${(bytes / 1024 / 1024).toFixed(0)} MiB upload for location "Nowhere" …`);
      const up = await uploadFile(target, file, 'Nowhere');
      await rm(file, { force: true });
      bigUpload = { bytes, status: up.status, code: up.body.error?.code ?? null, seconds: up.seconds };
    }
    const apiPeak = await procMemory(api.pid, 'VmHWM');
    live();

    return {
      pipeline: {
        url: pipeDb.url,
        ids: { practiceId: pipeDb.seed.practice.id, locationId: mainStreet, userId: adminUser(pipeDb.seed).id },
      },
      rows: args.rows,
      smoke: args.smoke,
      firstFileBytes: files.firstBytes,
      leanFirst,
      leanSecond,
      floorFirst,
      floorSecond,
      floorResolved,
      warmup,
      first,
      second,
      third,
      uploadToActiveMs,
      workerWarmupPeak,
      workerPeak,
      tableBytes,
      apiPeakBefore,
      apiPeak,
      bigUpload,
    };
  });
}

async function withPool<T>(url: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 64;
    }
    throw e;
  }
  const cleanup = new Cleanup();
  const services: Service[] = [];
  const interrupt = (signal: string) => {
    say(`${signal}: cleaning up …`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupt('SIGINT'));
  process.once('SIGTERM', () => interrupt('SIGTERM'));

  let m: Run;
  try {
    m = await measure(args, cleanup, services);
  } catch (e) {
    say(`the benchmark crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    for (const s of services) say(`last lines of ${s.name} log:\n${await logTail(s.logFile)}`);
    await cleanup.run();
    return 2;
  }
  const code = await report(args, m);
  // Not measured, so after the table: an interrupted EXPLAIN costs no results.
  if (args.explain) {
    say(`EXPLAIN (ANALYZE, BUFFERS) of merge chunks → ${args.explain} …`);
    try {
      await writeFile(path.resolve(ROOT, args.explain), await explainMergeChunks(m.pipeline.url, m.pipeline.ids));
    } catch (e) {
      say(`EXPLAIN failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  await cleanup.run();
  return code;
}

async function report(args: BenchArgs, m: Measurements): Promise<number> {
  const lines = buildLines(m);
  const machine = await describeMachine([await postgresDescription()]);
  const missed = lines.filter((l) => l.pass === false);
  process.stdout.write(`\n${machine}\n\n${renderTable(lines)}\n\n`);
  const summaryWrong = missed.some((l) => l.measure.includes('summary'));
  if (!missed.length) process.stdout.write('every target met\n');
  else
    process.stdout.write(
      `${missed.length} target${missed.length === 1 ? '' : 's'} missed: ${missed.map((l) => l.measure).join('; ')}\n`,
    );
  if (args.smoke) {
    // A smoke run is too small for the timing and memory targets to mean anything; a wrong summary is a bug at any size.
    if (missed.length && !summaryWrong) process.stdout.write('(--smoke: missed targets do not fail a smoke run)\n');
    return summaryWrong ? 1 : 0;
  }
  return missed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
