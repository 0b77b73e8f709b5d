// `npm run chaos` (issue 13): a 200,000-row aging import through a real API and real workers, on a
// PostgreSQL cluster and a Redis of its own, while the worker is killed -9 again and again (measuring
// how soon another worker moves the import again), Redis is killed and restarted with its data and
// without it, Postgres is stopped (immediate) and restarted, and the worker and the API are sent
// SIGTERM mid-import (measuring their shutdown). Each import must end claim for claim like a clean
// import of the same file, no API or worker may crash, an upload while a service is down must be
// refused with nothing kept, and no import may be left queued or running. Run it through
// infra/scripts/chaos.mjs, which installs and builds first; tests/src/chaos.test.ts runs a short version.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createClient,
  createDbHandle,
  migrateToLatest,
  seedDemo,
  type DbHandle,
  type SeedResult,
} from '@ledgerport/db';
import { createImportQueue, createRedisConnection } from '@ledgerport/queue';
import { uploadFile, type ApiTarget } from '../bench/api-client.js';
import { writeAgingFile } from '../bench/files.js';
import { logTail, spawnService, stopService, waitForHealth, type Service } from '../bench/processes.js';
import { addLocation, claimFingerprint } from '../support/claims.js';
import { uploadHeldOpen } from '../support/upload-in-flight.js';
import { freePort, startPostgresCluster, startRedis, type PostgresCluster, type RedisServer } from './services.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const API_MAIN = path.join(ROOT, 'apps/api/dist/main.js');
const WORKER_MAIN = path.join(ROOT, 'apps/worker/dist/main.js');
/** However the run goes, one scenario gives up after this. */
const SCENARIO_TIMEOUT_MS = 20 * 60_000;

const say = (msg: string) => process.stderr.write(`[chaos] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const random = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

interface Args {
  rows: number;
  kills: number;
  /** CHUNK_ROWS of the API and workers (unset: their default) */
  chunkRows: number;
  /** the promise: a killed worker's import is taken up again within this many seconds of another worker being up (0: measured only) */
  movesWithin: number;
}

const USAGE = 'usage: npm run chaos -- [--rows N] [--kills N] [--chunk-rows N] [--moves-within SECONDS]';
const FLAGS: Record<string, keyof Args> = {
  '--rows': 'rows',
  '--kills': 'kills',
  '--chunk-rows': 'chunkRows',
  '--moves-within': 'movesWithin',
};

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { rows: 200_000, kills: 20, chunkRows: 0, movesWithin: 10 };
  for (let i = 0; i < argv.length; i++) {
    const key = FLAGS[argv[i] ?? ''];
    const value = Number((argv[++i] ?? '').replace(/[,_]/g, ''));
    if (!key || !Number.isSafeInteger(value) || value < (key === 'movesWithin' ? 0 : 1)) throw new Error(USAGE);
    args[key] = value;
  }
  return args;
}

interface Stack {
  dir: string;
  pg: PostgresCluster;
  redis: RedisServer;
  db: DbHandle;
  seed: SeedResult;
  api: ApiTarget;
  /** the API process (replaced when a scenario stops it) */
  apiService: Service;
  env: Record<string, string>;
  services: Service[];
  /** processes this run stopped or killed itself; any other that exits has crashed */
  retired: Set<Service>;
  file: string;
  /** a 2,000-row file, for the uploads made around the big import */
  smallFile: string;
}

/** What an import's row says, or null while Postgres does not answer. */
async function importState(s: Stack, id: string) {
  try {
    const { rows } = await s.db.pool.query<{ status: string; attempts: number; progress: string }>(
      `select status, attempts, concat_ws('/', stage_checkpoint, commit_checkpoint, counters->>'claimsResolved') as progress
       from imports where id = $1`,
      [id],
    );
    return rows[0] ?? null;
  } catch {
    return null;
  }
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  deadline: number,
  everyMs = 100,
): Promise<T> {
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

const FINAL = ['completed', 'failed', 'cancelled', 'ready', 'reverted'];

function spawnWorker(s: Stack, n: number, env: Record<string, string> = {}): Service {
  const w = spawnService('worker', WORKER_MAIN, ROOT, { ...s.env, ...env }, path.join(s.dir, `worker-${n}.log`));
  s.services.push(w);
  return w;
}

/** When the worker's log says it started (its stalled check then runs), as Date.now(); polls its log. */
async function startedAt(w: Service, deadline: number): Promise<number> {
  return waitFor(
    `${w.name} to start`,
    async () => {
      if (w.hasExited()) throw new Error(`${w.name} exited before it started:\n${await logTail(w.logFile)}`);
      return (await readFile(w.logFile, 'utf8').catch(() => '')).includes('"msg":"worker started"') && Date.now();
    },
    deadline,
    20,
  );
}

function spawnApi(s: Stack, n: number): Service {
  const a = spawnService('api', API_MAIN, ROOT, s.env, path.join(s.dir, `api-${n}.log`));
  s.services.push(a);
  return a;
}

async function upload(s: Stack, locationName: string): Promise<{ id: string; locationId: string }> {
  const locationId = await addLocation(s.db.pool, s.seed.practice.id, locationName);
  const up = await uploadFile(s.api, s.file, locationId);
  if (up.status !== 202 || !up.body.id) throw new Error(`upload refused: ${up.status} ${JSON.stringify(up.body)}`);
  return { id: up.body.id, locationId };
}

async function finished(s: Stack, id: string, deadline: number): Promise<void> {
  const end = await waitFor(
    `import ${id} to finish`,
    async () => {
      const st = await importState(s, id);
      return st && FINAL.includes(st.status) ? st : null;
    },
    deadline,
  );
  if (end.status === 'completed') return;
  const { rows } = await s.db.pool.query<{ last_error: string }>('select last_error from imports where id = $1', [id]);
  throw new Error(`import ended ${end.status}: ${rows[0]?.last_error ?? ''}`);
}

/** One scenario's verdict: the import completed, its claims are the clean import's line for line, nothing crashed. */
async function verdict(s: Stack, id: string, locationId: string, clean: string[], deadline: number): Promise<string> {
  await finished(s, id, deadline);
  const claims = await claimFingerprint(s.db.pool, locationId);
  if (claims.length !== clean.length)
    throw new Error(`${claims.length} claims where the clean import has ${clean.length}`);
  const differs = claims.findIndex((c, i) => c !== clean[i]);
  if (differs >= 0) throw new Error(`claim ${differs} differs: ${claims[differs]} vs ${clean[differs]}`);
  const crashed = s.services.find((x) => x.hasExited() && !s.retired.has(x));
  if (crashed) throw new Error(`${crashed.name} exited on its own:\n${await logTail(crashed.logFile)}`);
  return `${claims.length.toLocaleString('en-US')} claims match the clean import (fingerprint ${digest(claims)})`;
}

const digest = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12);

async function killWorker(s: Stack, w: Service): Promise<void> {
  s.retired.add(w);
  w.child.kill('SIGKILL');
  await w.exited;
}

async function stopWorker(s: Stack, w: Service): Promise<void> {
  s.retired.add(w);
  await stopService(w);
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

/** "a-b s (median m)" of some measurements in ms. */
function spread(ms: number[]): string {
  if (!ms.length) return 'none measured';
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `${secs(sorted[0] ?? 0)}-${secs(sorted[sorted.length - 1] ?? 0)} s (median ${secs(median)} s, ${ms.length} measured)`;
}

/**
 * The worker killed -9 at random moments, a fresh one started each time (as a supervisor would). Each
 * time it measures how long after the new worker was up the import was taken up again (claimed: it
 * runs again) and, when the next kill waits for it, until its rows moved on from where the dead worker
 * left them; the first is the promise (`--moves-within`).
 */
async function workerKills(s: Stack, clean: string[], args: Args): Promise<string> {
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  let worker = spawnWorker(s, 1);
  let done = 0;
  const takenUp: number[] = [];
  const movedAgain: number[] = [];
  const results: string[] = [];
  // An import that completes before every kill has landed (a fast machine outruns the blows) is
  // followed by the same file into a new location, until the kills asked for are done.
  for (let files = 1; done < args.kills; files++) {
    const { id, locationId } = await upload(s, `Chaos: worker killed${files > 1 ? ` (${files})` : ''}`);
    let attempts = 0;
    // Since the last kill: when the new worker was up, and where the dead one left the import.
    let since: { up: Promise<number>; progress: string } | null = null;
    while (done < args.kills) {
      // Taken up by this worker (a claim counts an attempt), then a random moment: mostly after it has
      // moved the import on by a chunk, sometimes before (while it re-reads the file to its checkpoint).
      const claimed = await waitFor(
        'a worker to take the import',
        async () => {
          const st = await importState(s, id);
          return st && (FINAL.includes(st.status) || st.attempts > attempts) ? st : null;
        },
        deadline,
        20,
      );
      if (FINAL.includes(claimed.status)) break;
      if (since) takenUp.push(Math.max(0, Date.now() - (await since.up)));
      attempts = claimed.attempts;
      if (Math.random() < 0.75) {
        const from = since?.progress ?? claimed.progress;
        const moved = await waitFor(
          'the import to move',
          async () => {
            const st = await importState(s, id);
            return st && (FINAL.includes(st.status) || st.progress !== from) ? st : null;
          },
          deadline,
          20,
        );
        if (FINAL.includes(moved.status)) break;
        if (since) movedAgain.push(Math.max(0, Date.now() - (await since.up)));
      }
      await sleep(random(0, 400));
      await killWorker(s, worker);
      done++;
      const progress = (await importState(s, id))?.progress ?? '';
      worker = spawnWorker(s, done + 1);
      const up = startedAt(worker, deadline);
      // Awaited only if the import is taken up again: a worker stopped before it started is no failure.
      up.catch(() => undefined);
      since = { up, progress };
    }
    results.push(await verdict(s, id, locationId, clean, deadline));
  }
  await stopWorker(s, worker);
  const slowest = Math.max(0, ...takenUp);
  if (args.movesWithin > 0 && slowest > args.movesWithin * 1000)
    throw new Error(
      `a killed worker's import was taken up again ${secs(slowest)} s after another worker was up, past the ${args.movesWithin} s promised (${spread(takenUp)})`,
    );
  const imports = results.length === 1 ? '' : ` over ${results.length} imports of the file`;
  return `${done} kills${imports}; moves again within ${secs(slowest)} s of a new worker being up: taken up again ${spread(takenUp)}, rows moving again ${spread(movedAgain)}; ${results.join('; ')}`;
}

/** Where an import is, for the report: rows read and merged when the blow fell. */
async function whereIs(s: Stack, id: string): Promise<string> {
  const st = await importState(s, id);
  if (!st) return 'unknown';
  const [staged, merged] = st.progress.split('/');
  return `${st.status}, ${Number(staged).toLocaleString('en-US')} rows read, ${Number(merged).toLocaleString('en-US')} merged`;
}

/**
 * A random moment of a running import: once it has read 10-80 % of the file's rows (applied as they
 * are read). Returns how long after a worker took it up that was; fails when the import is over first,
 * since a blow after the end proves nothing.
 */
async function midImport(s: Stack, id: string, rows: number, deadline: number): Promise<number> {
  await waitFor('the import to start', async () => (await importState(s, id))?.status === 'running', deadline, 20);
  const started = Date.now();
  const line = Math.round(random(0.1, 0.8) * rows);
  const st = await waitFor(
    `the import to read ${line} rows`,
    async () => {
      const now = await importState(s, id);
      return now && (now.status !== 'running' || Number(now.progress.split('/')[0]) >= line) ? now : null;
    },
    deadline,
    20,
  );
  if (st.status !== 'running') throw new Error(`the import was ${st.status} before ${line} rows were read`);
  return Date.now() - started;
}


/** The stored uploads (UPLOAD_DIR without its tmp/), to show an upload refused kept nothing. */
async function storedFiles(s: Stack): Promise<string[]> {
  const dir = s.env.UPLOAD_DIR ?? '';
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith('tmp'))
    .sort();
}

/**
 * While `service` is down: /health/ready answers 503 naming it, and an upload is refused 503
 * service_unavailable. Returns what to check once it is back: that nothing of the upload was kept.
 */
async function refusedWhileDown(
  s: Stack,
  service: 'redis' | 'postgres',
  locationId: string,
  filesBefore: string[],
): Promise<() => Promise<string>> {
  const res = await fetch(`${s.api.url}/health/ready`);
  const ready = (await res.json()) as Record<string, unknown>;
  if (res.status !== 503 || ready[service] !== 'unreachable')
    throw new Error(`/health/ready answered ${res.status} ${JSON.stringify(ready)} while ${service} was down`);
  const up = await uploadFile(s.api, s.smallFile, locationId);
  if (up.status !== 503 || up.body.error?.code !== 'service_unavailable')
    throw new Error(`an upload while ${service} was down was answered ${up.status} ${JSON.stringify(up.body)}`);
  return async () => {
    const { rows } = await s.db.pool.query<{ n: number }>(
      'select count(*)::int n from imports where location_id = $1',
      [locationId],
    );
    if (rows[0]?.n) throw new Error(`an upload refused while ${service} was down left an import behind`);
    const files = await storedFiles(s);
    if (files.join() !== filesBefore.join())
      throw new Error(`an upload refused while ${service} was down left a stored file behind`);
    return `/health/ready 503 naming it and an upload refused 503 (${JSON.stringify(up.body.error?.message ?? '')}), nothing kept`;
  };
}

/** No import of the run is left queued or running ("no import in limbo"). */
async function noneInLimbo(s: Stack): Promise<void> {
  const { rows } = await s.db.pool.query<{ id: string; status: string }>(
    `select id, status from imports where status in ('queued', 'running')`,
  );
  if (rows.length) throw new Error(`imports left ${rows.map((r) => `${r.status}: ${r.id}`).join(', ')}`);
}

/**
 * Redis killed -9 mid-import and started again: with its data (its append-only file), as a Redis
 * with persistence restarts, or empty, as one without. An upload while it is down is refused. A
 * second import waits in the queue behind the first (the worker takes one at a time here): started
 * empty, Redis has lost its job, and the reconciler (scheduled again when the worker reconnects) must
 * queue it again from Postgres.
 */
async function redisRestart(s: Stack, clean: string[], keepData: boolean): Promise<string> {
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  const data = keepData ? 'with' : 'without';
  const worker = spawnWorker(s, keepData ? 110 : 100, { WORKER_CONCURRENCY: '1' });
  const { id, locationId } = await upload(s, `Chaos: Redis restarted ${data} its data`);
  const waitingAt = await addLocation(s.db.pool, s.seed.practice.id, `Chaos: queued when Redis restarted ${data} its data`);
  const waiting = await uploadFile(s.api, s.smallFile, waitingAt);
  if (waiting.status !== 202 || !waiting.body.id) throw new Error(`upload refused: ${waiting.status} ${JSON.stringify(waiting.body)}`);
  const refusedAt = await addLocation(s.db.pool, s.seed.practice.id, `Chaos: refused while Redis was down (${data} its data)`);
  const filesBefore = await storedFiles(s);
  const after = await midImport(s, id, clean.length, deadline);
  const at = await whereIs(s, id);
  const behind = (await importState(s, waiting.body.id))?.status ?? '?';
  await s.redis.kill();
  const killedAt = Date.now();
  const downFor = random(1000, 5000);
  const nothingKept = await refusedWhileDown(s, 'redis', refusedAt, filesBefore);
  await sleep(downFor - (Date.now() - killedAt));
  await s.redis.start({ keepData });
  const down = Date.now() - killedAt;
  const result = await verdict(s, id, locationId, clean, deadline);
  const refused = await nothingKept();
  await finished(s, waiting.body.id, deadline);
  const waitedMs = Date.now() - killedAt;
  await stopWorker(s, worker);
  await noneInLimbo(s);
  return (
    `killed ${secs(after)} s into the import (${at}), down ${secs(down)} s; ${refused}; ` +
    `the import ${behind} behind it completed ${secs(waitedMs)} s after the kill; ${result}`
  );
}

/** Postgres stopped (immediate: unlogged staging emptied, as in a crash) mid-import, then started again. */
async function postgresRestart(s: Stack, clean: string[]): Promise<string> {
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  const worker = spawnWorker(s, 200);
  const { id, locationId } = await upload(s, 'Chaos: Postgres restarted');
  const refusedAt = await addLocation(s.db.pool, s.seed.practice.id, 'Chaos: refused while Postgres was down');
  const filesBefore = await storedFiles(s);
  const after = await midImport(s, id, clean.length, deadline);
  const at = await whereIs(s, id);
  s.pg.stop('immediate');
  const stoppedAt = Date.now();
  const downFor = random(2000, 8000);
  const nothingKept = await refusedWhileDown(s, 'postgres', refusedAt, filesBefore);
  await sleep(downFor - (Date.now() - stoppedAt));
  await s.pg.start();
  const down = Date.now() - stoppedAt;
  const result = await verdict(s, id, locationId, clean, deadline);
  const refused = await nothingKept();
  await stopWorker(s, worker);
  await noneInLimbo(s);
  return `stopped ${secs(after)} s into the import (${at}), down ${secs(down)} s; ${refused}; ${result}`;
}

/**
 * An upload whose second half is held back until `release`: it is in flight, as far as the API
 * knows, until then. `arrived` resolves once its first half is being written under UPLOAD_DIR/tmp.
 */
function uploadInFlight(s: Stack, csv: string, locationId: string) {
  const { response, release } = uploadHeldOpen({ url: s.api.url, token: s.api.token, csv, locationId, fileName: 'in-flight.csv' });
  const tmp = path.join(s.env.UPLOAD_DIR ?? '', 'tmp');
  const arrived = waitFor(
    'the upload in flight to reach the API',
    async () => (await readdir(tmp).catch(() => [])).length > 0,
    Date.now() + 60_000,
    20,
  );
  return { response, arrived, release };
}

/**
 * SIGTERM to the worker mid-import and to the API with an upload in flight: each exits 0 within its
 * 10 s; the worker leaves its job unlocked and back in the queue at the checkpoint, so the next worker
 * takes it at once (no lock to wait out); the upload in flight is answered 202 and its import completes.
 */
async function gracefulShutdown(s: Stack, clean: string[]): Promise<string> {
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  const leaving = spawnWorker(s, 300);
  const { id, locationId } = await upload(s, 'Chaos: SIGTERM');
  const inFlightAt = await addLocation(s.db.pool, s.seed.practice.id, 'Chaos: uploaded while the API stopped');
  const inFlight = uploadInFlight(s, await readFile(s.smallFile, 'utf8'), inFlightAt);
  await inFlight.arrived;
  const after = await midImport(s, id, clean.length, deadline);
  const at = await whereIs(s, id);
  const api = s.apiService;
  s.retired.add(leaving);
  s.retired.add(api);
  const signalledAt = Date.now();
  leaving.child.kill('SIGTERM');
  api.child.kill('SIGTERM');
  // The rest of the upload comes a moment after the signal, as a slow client's would.
  setTimeout(inFlight.release, 300);
  const [workerExit, apiExit, answer] = await Promise.all([
    leaving.exited.then((e) => ({ ...e, ms: Date.now() - signalledAt })),
    api.exited.then((e) => ({ ...e, ms: Date.now() - signalledAt })),
    inFlight.response.then(async (r) => ({ status: r.status, body: (await r.json()) as { id?: string } })),
  ]);
  if (workerExit.code !== 0) throw new Error(`the worker exited ${workerExit.code ?? workerExit.signal} on SIGTERM`);
  if (apiExit.code !== 0) throw new Error(`the API exited ${apiExit.code ?? apiExit.signal} on SIGTERM`);
  if (answer.status !== 202 || !answer.body.id)
    throw new Error(`the upload in flight at SIGTERM was answered ${answer.status} ${JSON.stringify(answer.body)}`);
  // Left by the worker: back in the queue, its job unlocked (a lock would keep it from others for 5 s).
  const stopped = await importState(s, id);
  const redis = createRedisConnection(s.redis.url);
  const queue = createImportQueue(redis, s.env.QUEUE_PREFIX ?? '');
  let jobState: string;
  let locked: number;
  try {
    jobState = (await (await queue.getJob(id))?.getState()) ?? 'missing';
    locked = await redis.exists(`${s.env.QUEUE_PREFIX ?? ''}:imports:${id}:lock`);
  } finally {
    await queue.close();
    await redis.quit();
  }
  if (stopped?.status !== 'completed') {
    if (stopped?.status !== 'queued') throw new Error(`the import was ${stopped?.status ?? '?'} after its worker stopped`);
    if (locked || !['waiting', 'delayed'].includes(jobState))
      throw new Error(`the stopped worker left the job ${jobState}${locked ? ', locked' : ''}`);
  }
  // The API again (as a supervisor restarts it), and the next worker.
  s.apiService = spawnApi(s, 2);
  await waitForHealth(s.api.url, s.apiService);
  const next = spawnWorker(s, 301);
  const up = await startedAt(next, deadline);
  const taken = await waitFor(
    'the next worker to take the import',
    async () => {
      const st = await importState(s, id);
      return st && (FINAL.includes(st.status) || st.attempts > (stopped?.attempts ?? 0)) ? Date.now() : null;
    },
    deadline,
    20,
  );
  const result = await verdict(s, id, locationId, clean, deadline);
  if (answer.body.id) await finished(s, answer.body.id, deadline);
  await stopWorker(s, next);
  await noneInLimbo(s);
  return (
    `SIGTERM ${secs(after)} s into the import (${at}): worker exited 0 in ${secs(workerExit.ms)} s, ` +
    `leaving the import ${stopped?.status ?? '?'} and its job ${jobState}, unlocked; the next worker took it ` +
    `${secs(Math.max(0, taken - up))} s after it was up; API exited 0 in ${secs(apiExit.ms)} s, ` +
    `the upload in flight answered 202 and completed; ${result}`
  );
}

async function setUp(dir: string, args: Args): Promise<Stack> {
  say(`starting PostgreSQL and Redis of our own in ${dir} …`);
  const pg = await startPostgresCluster(dir);
  const redis = await startRedis(dir);
  const admin = createClient(pg.url);
  await admin.connect();
  await admin.query('create database ledgerport');
  await admin.end();
  const databaseUrl = pg.url.replace(/\/postgres$/, '/ledgerport');
  const db = createDbHandle(databaseUrl, 3);
  await migrateToLatest(db.db);
  const seed = await seedDemo(db.db);
  const file = path.join(dir, 'aging.csv');
  say(`writing a ${args.rows.toLocaleString('en-US')}-row aging file …`);
  await writeAgingFile(file, { rows: args.rows, startAt: 1 });
  const smallFile = path.join(dir, 'small.csv');
  await writeAgingFile(smallFile, { rows: 2000, startAt: 1 });
  const apiPort = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'chaos',
    UPLOAD_DIR: path.join(dir, 'uploads'),
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    // The reconciler every 5 s, for imports quiet for 10 s (30 s each by default): an import whose
    // job a Redis restart lost is queued again within seconds, and the run need not wait a minute.
    RECONCILE_INTERVAL_MS: '5000',
    RECONCILE_GRACE_MS: '10000',
    ...(args.chunkRows ? { CHUNK_ROWS: String(args.chunkRows) } : {}),
  };
  await mkdir(path.join(dir, 'uploads'), { recursive: true });
  const token = seed.users.find((u) => u.role === 'admin')?.token ?? '';
  const url = `http://127.0.0.1:${apiPort}`;
  const apiService = spawnService('api', API_MAIN, ROOT, env, path.join(dir, 'api-1.log'));
  await waitForHealth(url, apiService);
  return {
    dir,
    pg,
    redis,
    db,
    seed,
    api: { url, token },
    apiService,
    env,
    services: [apiService],
    retired: new Set(),
    file,
    smallFile,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(path.join(tmpdir(), 'ledgerport-chaos-'));
  let stack: Stack | null = null;
  const results: Array<{ name: string; ok: boolean; line: string }> = [];
  const teardown = async () => {
    if (!stack) return;
    const s = stack;
    stack = null;
    await Promise.all(s.services.map((x) => (s.retired.add(x), stopService(x, 5_000))));
    await s.db.destroy().catch(() => undefined);
    await s.redis.kill().catch(() => undefined);
    try {
      s.pg.stop('immediate');
    } catch {
      // already stopped
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void teardown().finally(() => process.exit(130)));
  try {
    stack = await setUp(dir, args);
    const s = stack;
    say('clean import …');
    const cleanWorker = spawnWorker(s, 0);
    const cleanStart = Date.now();
    const clean = await upload(s, 'Chaos: clean');
    await finished(s, clean.id, Date.now() + SCENARIO_TIMEOUT_MS);
    const cleanMs = Date.now() - cleanStart;
    await stopWorker(s, cleanWorker);
    const reference = await claimFingerprint(s.db.pool, clean.locationId);
    if (reference.length !== args.rows)
      throw new Error(`the clean import has ${reference.length} claims, not ${args.rows}`);
    say(
      `clean import: ${reference.length.toLocaleString('en-US')} claims in ${secs(cleanMs)} s (fingerprint ${digest(reference)})`,
    );
    const scenarios: Array<[string, () => Promise<string>]> = [
      [`worker killed -9 ${args.kills} times`, () => workerKills(s, reference, args)],
      ['Redis killed and restarted without its data', () => redisRestart(s, reference, false)],
      ['Redis killed and restarted with its data (append-only file)', () => redisRestart(s, reference, true)],
      ['Postgres stopped (immediate) and restarted', () => postgresRestart(s, reference)],
      ['SIGTERM to the worker and the API mid-import', () => gracefulShutdown(s, reference)],
    ];
    for (const [name, run] of scenarios) {
      say(`${name} …`);
      const t = Date.now();
      try {
        const line = await run();
        results.push({ name, ok: true, line: `PASS  ${name}: ${line} (${((Date.now() - t) / 1000).toFixed(0)} s)` });
      } catch (e) {
        results.push({ name, ok: false, line: `FAIL  ${name}: ${e instanceof Error ? e.message : String(e)}` });
      }
      say(results[results.length - 1]?.line ?? '');
    }
  } finally {
    await teardown();
    if (results.every((r) => r.ok) && results.length) await rm(dir, { recursive: true, force: true });
    else say(`logs kept in ${dir}`);
  }
  for (const r of results) process.stdout.write(`${r.line}\n`);
  const passed = results.filter((r) => r.ok).length;
  process.stdout.write(`${passed} passed, ${results.length - passed} failed\n`);
  process.exitCode = passed === results.length ? 0 : 1;
}

main().catch((e: unknown) => {
  say(`chaos run failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exitCode = 1;
});
