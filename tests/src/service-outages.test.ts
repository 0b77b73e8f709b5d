import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadApiConfig, startApi, type ApiRuntime } from '@ledgerport/api';
import { addLocation, claimFingerprint } from './support/claims.js';
import { generateAgingCsv } from './support/generate.js';
import { client, request, waitForImport } from './support/http.js';
import { createRedisConnection } from '@ledgerport/queue';
import { redisUrl, removeRedisKeys, startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';
import { uploadHeldOpen } from './support/upload-in-flight.js';
import { spawnWorker } from './support/worker-process.js';

// Postgres or Redis going away is answered in plain words (503) and waited out; no process crashes,
// and nothing is left half-created.
let stack: TestStack;
let staff: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack({ worker: false, env: { JOB_ATTEMPTS: '1', CHUNK_ROWS: '100' } });
  staff = client(stack.url, stack.staff);
});
afterAll(() => stack.close());

const q = (sql: string, params: unknown[] = []) => stack.db.handle.pool.query(sql, params);
const importCount = async () => Number((await q('select count(*) n from imports')).rows[0].n);

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A second API process's worth of app, with some of its settings changed; closed after fn. */
async function withApi<T>(env: Record<string, string>, fn: (api: ApiRuntime) => Promise<T>): Promise<T> {
  const api = await startApi(loadApiConfig({ ...stack.env, ...env }), pino({ level: 'silent' }));
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

it('says it is live and ready while Postgres and Redis answer', async () => {
  expect((await request(stack.url, null, 'GET', '/health/live')).status).toBe(200);
  const ready = await request(stack.url, null, 'GET', '/health/ready');
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({ status: 'ready', postgres: 'ok', redis: 'ok' });
});

it('answers 503 naming Redis, and refuses an upload with nothing left behind, while Redis is unreachable', async () => {
  const uploadDir = await mkdtemp(path.join(tmpdir(), 'lp-uploads-noredis-'));
  try {
    await withApi({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, UPLOAD_DIR: uploadDir }, async (api) => {
      expect((await request(api.url, null, 'GET', '/health/live')).status).toBe(200);
      const ready = await request(api.url, null, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        postgres: 'ok',
        redis: 'unreachable',
        error: { code: 'service_unavailable' },
      });
      expect(ready.body.error.message).toMatch(/Redis \(the job queue\) is not answering/);

      const before = await importCount();
      const up = await client(api.url, stack.staff).upload(generateAgingCsv({ rows: 10 }), {
        kind: 'aging',
        locationId: stack.seed.locations[0]!.id,
      });
      expect(up.status).toBe(503);
      expect(up.body.error.code).toBe('service_unavailable');
      expect(up.body.error.message).toMatch(/cannot reach its import queue right now, so nothing was saved/);
      expect(up.headers.get('retry-after')).toBeTruthy();
      expect(await importCount()).toBe(before);
      expect(await filesUnder(uploadDir)).toEqual([]);
      // What needs no queue still works: the list of imports comes from Postgres.
      expect((await client(api.url, stack.staff).get('/imports')).status).toBe(200);
    });
  } finally {
    await rm(uploadDir, { recursive: true, force: true });
  }
});

it('takes an upload back whole when its job cannot be queued after its import row was written', async () => {
  const uploadDir = await mkdtemp(path.join(tmpdir(), 'lp-uploads-noqueue-'));
  const prefix = `${stack.env.QUEUE_PREFIX!}-broken`;
  // Redis answers (so the upload gets past the check before anything is written), but adding a job
  // fails: the queue's meta key is of the wrong type, as a Redis failing mid-request would fail it.
  const redis = createRedisConnection(redisUrl());
  await redis.set(`${prefix}:imports:meta`, 'not a hash');
  try {
    await withApi({ QUEUE_PREFIX: prefix, UPLOAD_DIR: uploadDir }, async (api) => {
      const before = await importCount();
      const up = await client(api.url, stack.staff).upload(generateAgingCsv({ rows: 10 }), {
        kind: 'aging',
        locationId: stack.seed.locations[0]!.id,
      });
      expect(up.status).toBeGreaterThanOrEqual(500);
      expect(await importCount()).toBe(before);
      expect(await filesUnder(uploadDir)).toEqual([]);
    });
  } finally {
    await removeRedisKeys(prefix);
    await redis.quit();
    await rm(uploadDir, { recursive: true, force: true });
  }
});

it('answers 503 in plain words, and says which, while Postgres is unreachable', async () => {
  const u = new URL(stack.db.url);
  u.port = String(await closedPort());
  await withApi({ DATABASE_URL: u.toString() }, async (api) => {
    const list = await client(api.url, stack.staff).get('/imports');
    expect(list.status).toBe(503);
    expect(list.body).toEqual({
      error: {
        code: 'service_unavailable',
        message: expect.stringMatching(/cannot reach its database right now, so nothing was saved or changed/),
      },
    });
    const ready = await request(api.url, null, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ postgres: 'unreachable', redis: 'ok' });
    expect(ready.body.error.message).toMatch(/PostgreSQL \(the database\) is not answering/);
  });
});

it('refuses an upload with nothing created when the upload directory cannot be written', async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'lp-uploads-broken-'));
  try {
    // A file where the directory should be: as good as a read-only disk, even for root.
    await writeFile(path.join(base, 'uploads'), 'not a directory');
    await withApi({ UPLOAD_DIR: path.join(base, 'uploads') }, async (api) => {
      const before = await importCount();
      const up = await client(api.url, stack.staff).upload(generateAgingCsv({ rows: 10 }), {
        kind: 'aging',
        locationId: stack.seed.locations[0]!.id,
      });
      expect(up.status).toBe(503);
      expect(up.body.error).toEqual({
        code: 'storage_unavailable',
        message: expect.stringMatching(/nothing was created/),
      });
      expect(await importCount()).toBe(before);
    });
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});

it('refuses an upload with 507 and nothing created when the upload disk is full', async () => {
  const uploadDir = await mkdtemp(path.join(tmpdir(), 'lp-uploads-full-'));
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  // An API process that may write files of 64 KiB at most (`ulimit -f`): past that, a write fails with
  // EFBIG, as it fails with ENOSPC on a full disk (Node ignores SIGXFSZ, so the process lives on).
  const api = spawn(
    'bash',
    ['-c', `ulimit -f 64 && exec "${process.execPath}" "${path.resolve(__dirname, '../../apps/api/dist/main.js')}"`],
    {
      env: { ...process.env, ...stack.env, UPLOAD_DIR: uploadDir, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const exited = new Promise((resolve) => api.once('exit', resolve));
  try {
    await waitUntil('the API to listen', () => fetch(`${url}/health/live`).then((r) => r.ok, () => false), 60_000);
    const uploader = client(url, stack.staff);
    const fits = await uploader.upload(generateAgingCsv({ rows: 10 }), { kind: 'aging', locationId: stack.seed.locations[1]!.id });
    expect(fits.status).toBe(202);
    const before = await importCount();
    const filesBefore = await filesUnder(uploadDir);
    const tooBig = await uploader.upload(generateAgingCsv({ rows: 3000 }), {
      kind: 'aging',
      locationId: stack.seed.locations[1]!.id,
    });
    expect(tooBig.status).toBe(507);
    expect(tooBig.body.error).toEqual({
      code: 'storage_full',
      message: expect.stringMatching(/no room to store this file.*nothing was created/),
    });
    // No import, and no file or part of one (the temporary file is taken back too).
    expect(await importCount()).toBe(before);
    expect(await filesUnder(uploadDir)).toEqual(filesBefore);
    await q(`update imports set status = 'cancelled' where id = $1`, [fits.body.id]);
  } finally {
    api.kill('SIGTERM');
    await exited;
    await rm(uploadDir, { recursive: true, force: true });
  }
});

it('keeps a worker process and the API running when Postgres drops every connection mid-import', async () => {
  const file = generateAgingCsv({ rows: 1500, startAt: 90_000 });
  const reference = stack.startWorker();
  const cleanId = (await staff.upload(file, { kind: 'aging', locationId: stack.seed.locations[0]!.id })).body.id;
  expect((await waitForImport(stack.url, stack.staff, cleanId)).status).toBe('completed');
  await reference.close();

  const loc = await addLocation(stack.db.handle.pool, stack.seed.practice.id, 'Connections cut');
  await q(
    `create or replace function slow_merge() returns trigger language plpgsql as $$ begin perform pg_sleep(0.1); return null; end $$`,
  );
  await q('create trigger slow_merge after insert on claims for each statement execute function slow_merge()');
  const worker = spawnWorker(stack.env);
  try {
    const up = await staff.upload(file, { kind: 'aging', locationId: loc });
    expect(up.status).toBe(202);
    const id = up.body.id as string;
    const committed = async () =>
      Number((await q('select rows_committed n from imports where id = $1', [id])).rows[0].n);
    // Twice, as a server restart does to every client at once: the worker's lent connections (its
    // transaction, its location lock), its idle ones and the API's all lose theirs.
    for (const atLeast of [200, 600]) {
      await waitUntil(`${atLeast} rows to commit`, async () => (await committed()) >= atLeast);
      await q(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
    }
    await q('drop trigger slow_merge on claims');
    // JOB_ATTEMPTS is 1 here: had the outage spent an attempt, the import would have failed.
    const done = await waitForImport(stack.url, stack.staff, id, undefined, 40_000);
    expect(done.status).toBe('completed');
    expect(await claimFingerprint(stack.db.handle.pool, loc)).toEqual(
      await claimFingerprint(stack.db.handle.pool, stack.seed.locations[0]!.id),
    );
    expect(worker.exitCode).toBeNull();
    expect(worker.signalCode).toBeNull();
    expect((await request(stack.url, null, 'GET', '/health/ready')).status).toBe(200);
  } finally {
    worker.kill('SIGTERM');
    await worker.exited;
  }
});

it('lets an upload in flight finish when the API is told to shut down', async () => {
  const api = await startApi(loadApiConfig(stack.env), pino({ level: 'silent' }));
  const { response, release } = uploadHeldOpen({
    url: api.url,
    token: stack.staff,
    csv: generateAgingCsv({ rows: 2000, startAt: 120_000 }),
    locationId: stack.seed.locations[1]!.id,
    fileName: 'aging.csv',
  });
  // The first half has reached the API (its temporary file exists) when the signal comes.
  await waitUntil(
    'the upload to start arriving',
    async () => (await filesUnder(path.join(stack.env.UPLOAD_DIR!, 'tmp')).catch(() => [])).length > 0,
  );
  const closed = api.close();
  release();
  const res = await response;
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await closed;
  expect((await q('select status from imports where id = $1', [id])).rows[0].status).toBe('queued');
  // Gone: a new request finds nothing listening.
  await expect(fetch(`${api.url}/health/live`)).rejects.toThrow();
  await q(`update imports set status = 'cancelled' where id = $1`, [id]);
});
