// `npm run chaos` (issue 13): a 200,000-row aging import through a real API and real workers, on a
// PostgreSQL cluster and a Redis of its own, while the worker is killed -9 again and again, Redis is
// killed and restarted without its data, and Postgres is stopped (immediate) and restarted. Each import
// must end claim for claim like a clean import of the same file, and no API or worker may crash.
// Run it through infra/scripts/chaos.mjs, which installs and builds first.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
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
import { uploadFile, type ApiTarget } from '../bench/api-client.js';
import { writeAgingFile } from '../bench/files.js';
import { logTail, spawnService, stopService, waitForHealth, type Service } from '../bench/processes.js';
import { addLocation, claimFingerprint } from '../support/claims.js';
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
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { rows: 200_000, kills: 20 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number((argv[++i] ?? '').replace(/[,_]/g, ''));
    if ((flag !== '--rows' && flag !== '--kills') || !Number.isSafeInteger(value) || value < 1)
      throw new Error('usage: npm run chaos -- [--rows N] [--kills N]');
    args[flag === '--rows' ? 'rows' : 'kills'] = value;
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
  env: Record<string, string>;
  services: Service[];
  /** processes this run stopped or killed itself; any other that exits has crashed */
  retired: Set<Service>;
  file: string;
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
): Promise<T> {
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const FINAL = ['completed', 'failed', 'cancelled', 'ready', 'reverted'];

function spawnWorker(s: Stack, n: number): Service {
  const w = spawnService('worker', WORKER_MAIN, ROOT, s.env, path.join(s.dir, `worker-${n}.log`));
  s.services.push(w);
  return w;
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

/** The worker killed -9 at random moments, a fresh one started each time (as a supervisor would). */
async function workerKills(s: Stack, clean: string[], kills: number): Promise<string> {
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  let worker = spawnWorker(s, 1);
  const { id, locationId } = await upload(s, 'Chaos: worker killed');
  let done = 0;
  let attempts = 0;
  while (done < kills) {
    // Taken up by this worker (a claim counts an attempt), then a random moment: mostly after it has
    // moved the import on by a chunk, sometimes before (while it re-reads the file to its checkpoint).
    const claimed = await waitFor(
      'a worker to take the import',
      async () => {
        const st = await importState(s, id);
        return st && (FINAL.includes(st.status) || st.attempts > attempts) ? st : null;
      },
      deadline,
    );
    if (FINAL.includes(claimed.status)) break;
    attempts = claimed.attempts;
    if (Math.random() < 0.75) {
      const from = claimed.progress;
      const moved = await waitFor(
        'the import to move',
        async () => {
          const st = await importState(s, id);
          return st && (FINAL.includes(st.status) || st.progress !== from) ? st : null;
        },
        deadline,
      );
      if (FINAL.includes(moved.status)) break;
    }
    await sleep(random(0, 400));
    await killWorker(s, worker);
    done++;
    worker = spawnWorker(s, done + 1);
  }
  const result = await verdict(s, id, locationId, clean, deadline);
  await stopWorker(s, worker);
  return `${done} kills; ${result}`;
}

/** Where an import is, for the report: rows read and merged when the blow fell. */
async function whereIs(s: Stack, id: string): Promise<string> {
  const st = await importState(s, id);
  if (!st) return 'unknown';
  const [staged, merged] = st.progress.split('/');
  return `${st.status}, ${Number(staged).toLocaleString('en-US')} rows read, ${Number(merged).toLocaleString('en-US')} merged`;
}

/**
 * A random moment of a running import: 10-70 % of the time the clean import took, counted from when a
 * worker took this one up.
 */
async function midImport(s: Stack, id: string, cleanMs: number, deadline: number): Promise<number> {
  await waitFor('the import to start', async () => (await importState(s, id))?.status === 'running', deadline);
  const after = random(0.1, 0.7) * cleanMs;
  await sleep(after);
  return after;
}

/** Redis killed -9 mid-import and started again empty, as after a restart without persistence. */
async function redisRestart(s: Stack, clean: string[], cleanMs: number): Promise<string> {
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  const worker = spawnWorker(s, 100);
  const { id, locationId } = await upload(s, 'Chaos: Redis restarted');
  const after = await midImport(s, id, cleanMs, deadline);
  const at = await whereIs(s, id);
  await s.redis.kill();
  const down = random(1000, 5000);
  await sleep(down);
  await s.redis.start();
  const result = await verdict(s, id, locationId, clean, deadline);
  await stopWorker(s, worker);
  return `killed ${(after / 1000).toFixed(1)} s into the import (${at}), down ${(down / 1000).toFixed(1)} s; ${result}`;
}

/** Postgres stopped (immediate: unlogged staging emptied, as in a crash) mid-import, then started again. */
async function postgresRestart(s: Stack, clean: string[], cleanMs: number): Promise<string> {
  const deadline = Date.now() + SCENARIO_TIMEOUT_MS;
  const worker = spawnWorker(s, 200);
  const { id, locationId } = await upload(s, 'Chaos: Postgres restarted');
  const after = await midImport(s, id, cleanMs, deadline);
  const at = await whereIs(s, id);
  s.pg.stop('immediate');
  const down = random(2000, 8000);
  await sleep(down);
  await s.pg.start();
  const result = await verdict(s, id, locationId, clean, deadline);
  await stopWorker(s, worker);
  return `stopped ${(after / 1000).toFixed(1)} s into the import (${at}), down ${(down / 1000).toFixed(1)} s; ${result}`;
}

async function setUp(dir: string, rows: number): Promise<Stack> {
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
  say(`writing a ${rows.toLocaleString('en-US')}-row aging file …`);
  await writeAgingFile(file, { rows, startAt: 1 });
  const apiPort = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'chaos',
    UPLOAD_DIR: path.join(dir, 'uploads'),
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
  await mkdir(env.UPLOAD_DIR, { recursive: true });
  const api = spawnService('api', API_MAIN, ROOT, env, path.join(dir, 'api.log'));
  const url = `http://127.0.0.1:${apiPort}`;
  await waitForHealth(url, api);
  const token = seed.users.find((u) => u.role === 'admin')?.token ?? '';
  return { dir, pg, redis, db, seed, api: { url, token }, env, services: [api], retired: new Set(), file };
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
    stack = await setUp(dir, args.rows);
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
      `clean import: ${reference.length.toLocaleString('en-US')} claims in ${(cleanMs / 1000).toFixed(1)} s (fingerprint ${digest(reference)})`,
    );
    const scenarios: Array<[string, () => Promise<string>]> = [
      [`worker killed -9 ${args.kills} times`, () => workerKills(s, reference, args.kills)],
      ['Redis killed and restarted', () => redisRestart(s, reference, cleanMs)],
      ['Postgres stopped (immediate) and restarted', () => postgresRestart(s, reference, cleanMs)],
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
