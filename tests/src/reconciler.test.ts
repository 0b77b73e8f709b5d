import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { createDbHandle } from '@ledgerport/db';
import { createImportQueue, createRedisConnection } from '@ledgerport/queue';
import { reconcileImports } from '@ledgerport/worker';
import { addLocation, claimFingerprint } from './support/claims.js';
import { generateAgingCsv } from './support/generate.js';
import { client, waitForImport } from './support/http.js';
import { redisUrl, removeRedisKeys, startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';
import { spawnWorker } from './support/worker-process.js';

// No import in limbo: one Postgres calls queued or running that no live job owns is queued again (and
// ends as a clean run would) or, when its job failed for good, failed and its uploader told.
let stack: TestStack;
let staff: ReturnType<typeof client>;
const FILE = generateAgingCsv({ rows: 1500, startAt: 70_000 });
let cleanClaims: string[];

beforeAll(async () => {
  stack = await startTestStack({ worker: false, env: { JOB_ATTEMPTS: '1', CHUNK_ROWS: '100' } });
  staff = client(stack.url, stack.staff);
  // The reference: the same file imported with nothing going wrong.
  const worker = stack.startWorker();
  const id = await upload(stack.seed.locations[0]!.id);
  expect((await waitForImport(stack.url, stack.staff, id)).status).toBe('completed');
  cleanClaims = await claimFingerprint(stack.db.handle.pool, stack.seed.locations[0]!.id);
  expect(cleanClaims).toHaveLength(1500);
  await worker.close();
});
afterAll(() => stack.close());

const q = (sql: string, params: unknown[] = []) => stack.db.handle.pool.query(sql, params);
const newLocation = (name: string) => addLocation(stack.db.handle.pool, stack.seed.practice.id, name);
const committed = async (id: string) =>
  Number((await q('select rows_committed n from imports where id = $1', [id])).rows[0].n);

async function upload(locationId: string) {
  const up = await staff.upload(FILE, { kind: 'aging', locationId });
  expect(up.status).toBe(202);
  return up.body.id as string;
}

/** A queue handle of the test's own, as a second process would have. */
async function withQueue<T>(fn: (queue: ReturnType<typeof createImportQueue>) => Promise<T>): Promise<T> {
  const redis = createRedisConnection(redisUrl());
  const queue = createImportQueue(redis, stack.env.QUEUE_PREFIX!);
  try {
    return await fn(queue);
  } finally {
    await queue.close();
    await redis.quit();
  }
}

async function slowMerges(seconds: number) {
  await q(
    `create or replace function slow_merge() returns trigger language plpgsql as $$ begin perform pg_sleep(${seconds}); return null; end $$`,
  );
  await q('drop trigger if exists slow_merge on claims');
  await q('create trigger slow_merge after insert on claims for each statement execute function slow_merge()');
}
const fastMerges = () => q('drop trigger if exists slow_merge on claims');

it('queues again an import whose job was removed from Redis while it waited, and it ends as a clean run', async () => {
  const loc = await newLocation('Removed while queued');
  const id = await upload(loc);
  await withQueue(async (queue) => {
    await queue.remove(id);
    expect(await queue.getJob(id)).toBeUndefined();
  });
  // A worker's start-up run of the reconciler finds it (no grace in this test) and queues it again.
  const worker = stack.startWorker({ RECONCILE_GRACE_MS: '0' });
  const done = await waitForImport(stack.url, stack.staff, id);
  expect(done.status).toBe('completed');
  expect(await claimFingerprint(stack.db.handle.pool, loc)).toEqual(cleanClaims);
  await worker.close();
});

it('resumes from its checkpoint a running import whose worker died and whose queue was wiped', async () => {
  const loc = await newLocation('Lost with Redis');
  await slowMerges(0.1);
  const doomed = spawnWorker(stack.env);
  const id = await upload(loc);
  await waitUntil('the first chunks to commit', async () => (await committed(id)) >= 300);
  doomed.kill('SIGKILL');
  await doomed.exited;
  // Redis restarted without its data: the job (and every other key of the queue) is gone.
  await removeRedisKeys(stack.env.QUEUE_PREFIX!);
  const atLoss = (await q('select status, commit_checkpoint from imports where id = $1', [id])).rows[0];
  expect(atLoss.status).toBe('running');
  expect(atLoss.commit_checkpoint).toBeGreaterThan(0);
  await fastMerges();
  const worker = stack.startWorker({ RECONCILE_GRACE_MS: '0' });
  const done = await waitForImport(stack.url, stack.staff, id, undefined, 40_000);
  expect(done.status).toBe('completed');
  expect(done.summary).toMatchObject({ claimsNew: 1500, claimsUpdated: 0, claimsUnchanged: 0 });
  expect(await claimFingerprint(stack.db.handle.pool, loc)).toEqual(cleanClaims);
  await worker.close();
});

it('fails, undoes and reports an import whose job BullMQ failed for stalling, instead of leaving it running', async () => {
  const loc = await newLocation('Stalled for good');
  await slowMerges(0.1);
  // A stall limit of 0 makes the first stall fail the job, as the fourth did before stalls stopped counting.
  const strict = { MAX_STALLED_COUNT: '0', RECONCILE_GRACE_MS: '0', RECONCILE_INTERVAL_MS: '1000' };
  const doomed = spawnWorker({ ...stack.env, ...strict });
  const id = await upload(loc);
  await waitUntil('the first chunks to commit', async () => (await committed(id)) >= 300);
  doomed.kill('SIGKILL');
  await doomed.exited;
  await fastMerges();
  const worker = stack.startWorker(strict);
  const failed = await waitForImport(stack.url, stack.staff, id, ['failed', 'completed'], 40_000);
  expect(failed.status).toBe('failed');
  expect(failed.error.code).toBe('worker_lost');
  expect(failed.error.message).toMatch(/Nothing from it was applied; an administrator can retry it/);
  // What its chunks merged is undone, and the uploader is told.
  expect(await claimFingerprint(stack.db.handle.pool, loc)).toEqual([]);
  const notes = await staff.get('/notifications');
  expect(
    notes.body.items.filter(
      (n: { link: string; kind: string }) => n.link === `/imports/${id}` && n.kind === 'import_failed',
    ),
  ).toHaveLength(1);
  await worker.close();
});

it('puts one job in the queue when two reconcilers run at once', async () => {
  const loc = await newLocation('Two reconcilers');
  const id = await upload(loc);
  await withQueue((queue) => queue.remove(id));
  const logger = pino({ level: 'silent' });
  // Two processes' worth of connections, each running the reconciler at the same moment.
  const handles = [createDbHandle(stack.db.url, 2), createDbHandle(stack.db.url, 2)];
  try {
    const reports = await withQueue((q1) =>
      withQueue((q2) =>
        Promise.all(
          [q1, q2].map((queue, i) =>
            reconcileImports({ pool: handles[i]!.pool, db: handles[i]!.db, queue, logger, jobAttempts: 1, graceMs: 0 }),
          ),
        ),
      ),
    );
    expect(reports.flatMap((r) => r?.requeued ?? [])).toEqual([id]);
    await withQueue(async (queue) => {
      expect(await queue.getJob(id)).toBeDefined();
      expect(await queue.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 1, delayed: 0, active: 0 });
    });
    // A later run finds the job waiting and leaves it be.
    const again = await withQueue((queue) =>
      reconcileImports({ pool: handles[0]!.pool, db: handles[0]!.db, queue, logger, jobAttempts: 1, graceMs: 0 }),
    );
    expect(again?.requeued).toEqual([]);
  } finally {
    await Promise.all(handles.map((h) => h.destroy()));
  }
  // Left to finish, so no other test meets it.
  const worker = stack.startWorker();
  expect((await waitForImport(stack.url, stack.staff, id)).status).toBe('completed');
  await worker.close();
});

it('leaves alone an import inserted a moment ago whose job is not queued yet', async () => {
  const loc = await newLocation('Just inserted');
  const id = await upload(loc);
  await withQueue((queue) => queue.remove(id));
  const report = await withQueue((queue) =>
    reconcileImports({
      pool: stack.db.handle.pool,
      db: stack.db.handle.db,
      queue,
      logger: pino({ level: 'silent' }),
      jobAttempts: 1,
      graceMs: 60_000,
    }),
  );
  expect(report).toEqual({ checked: 0, requeued: [], failed: [], errors: 0 });
  expect((await q('select status from imports where id = $1', [id])).rows[0].status).toBe('queued');
  await q(`update imports set status = 'cancelled' where id = $1`, [id]);
});

it('fails at once, saying so, an import whose stored file is gone', async () => {
  const loc = await newLocation('File gone');
  const id = await upload(loc);
  const { storage_key: key } = (await q('select storage_key from imports where id = $1', [id])).rows[0];
  await rm(path.join(stack.env.UPLOAD_DIR!, key));
  const worker = stack.startWorker();
  const failed = await waitForImport(stack.url, stack.staff, id);
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatchObject({ code: 'stored_file_missing' });
  expect(failed.error.message).toMatch(/aging\.csv is no longer stored on the server.*upload the file again/);
  expect(failed.error.message).not.toMatch(/ENOENT|at /);
  await worker.close();
});
