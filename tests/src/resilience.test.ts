import { getPriority } from 'node:os';
import { addLocation } from './support/claims.js';
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv } from './support/generate.js';
import { createImportQueue, createRedisConnection } from '@ledgerport/queue';
import { redisUrl, startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';
import { spawnWorker } from './support/worker-process.js';

// Workers die, get stopped and fail; every row still takes effect exactly once. Each test works on a
// location of its own, with the claims it needs imported first, so none depends on another's rows.
let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack({ worker: false, env: { JOB_ATTEMPTS: '1', CHUNK_ROWS: '100' } });
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
  // These files close a third of a location's claims on purpose: no administrator's review here.
  await q('update practices set mass_resolve_percent = 100 where id = $1', [stack.seed.practice.id]);
});
afterAll(() => stack.close());

const q = (sql: string, params: unknown[] = []) => stack.db.handle.pool.query(sql, params);

// Workers a test starts, stopped after it whether it passed or not: a worker left running by a test
// that failed half-way would take the next test's import (and a worker process killed before it set
// up its SIGTERM handler exits by the signal, not with 0).
const processes: Array<ReturnType<typeof spawnWorker>> = [];
const inProcess: Array<ReturnType<TestStack['startWorker']>> = [];
function workerProcess() {
  const w = spawnWorker(stack.env);
  processes.push(w);
  return w;
}
function worker() {
  const w = stack.startWorker();
  inProcess.push(w);
  return w;
}
afterEach(async () => {
  for (const w of processes.splice(0)) {
    w.kill('SIGKILL');
    await w.exited;
  }
  await Promise.all(inProcess.splice(0).map((w) => w.close()));
  await q('drop trigger if exists refuse_claim on claims');
  await fastMerges();
});

/** Makes every merge statement take a while, so a test can act in the middle of an import. */
async function slowMerges(seconds: number) {
  await q(
    `create or replace function slow_merge() returns trigger language plpgsql as $$ begin perform pg_sleep(${seconds}); return null; end $$`,
  );
  await q('drop trigger if exists slow_merge on claims');
  await q('create trigger slow_merge after insert on claims for each statement execute function slow_merge()');
}
const fastMerges = () => q('drop trigger if exists slow_merge on claims');


const committed = async (id: string) =>
  Number((await q('select rows_committed n from imports where id = $1', [id])).rows[0].n);
const claimsAt = async (locationId: string) =>
  (
    await q(
      'select claim_key, balance_cents, resolved_at is not null as resolved, last_seen_import from claims where location_id = $1 order by claim_key',
      [locationId],
    )
  ).rows;

async function upload(csv: string, locationId: string) {
  const up = await staff.upload(csv, { kind: 'aging', locationId });
  expect(up.status).toBe(202);
  return up.body.id as string;
}

let locations = 0;
/** A new location of this practice, holding the claims of `csv` when given (imported by a worker of its own). */
async function freshLocation(csv?: string): Promise<string> {
  const loc = await addLocation(stack.db.handle.pool, stack.seed.practice.id, `Resilience ${++locations}`);
  if (csv) {
    const importer = worker();
    try {
      const done = await waitForImport(stack.url, stack.staff, await upload(csv, loc));
      expect(done.status).toBe('completed');
    } finally {
      await importer.close();
    }
  }
  return loc;
}

it('undoes what a failed import merged, and an admin retry then applies every row once', async () => {
  const loc = await freshLocation();
  const running = worker();
  await q(`create or replace function refuse_claim() returns trigger language plpgsql as $$
           begin if new.claim_key = 'C-00000450' then raise exception 'disk on fire'; end if; return new; end $$`);
  await q('create trigger refuse_claim before insert on claims for each row execute function refuse_claim()');
  const id = await upload(generateAgingCsv({ rows: 1000 }), loc);
  const failed = await waitForImport(stack.url, stack.staff, id);
  expect(failed.status).toBe('failed');
  expect(failed.error.code).toBe('internal_error');
  expect(failed.error.message).toMatch(/an administrator can retry it/);
  // The 400 rows merged before the failure are undone: nothing half-applied waits for the retry.
  const before = (
    await q('select commit_checkpoint, rows_committed, stage_checkpoint from imports where id = $1', [id])
  ).rows[0];
  expect(before).toMatchObject({ commit_checkpoint: 0, rows_committed: 0 });
  expect(before.stage_checkpoint).toBeGreaterThanOrEqual(400);
  expect(Number((await q('select count(*) n from claims where location_id = $1', [loc])).rows[0].n)).toBe(0);

  await q('drop trigger refuse_claim on claims');
  const retry = await admin.post(`/imports/${id}/retry`);
  expect(retry.status).toBe(202);
  const done = await waitForImport(stack.url, stack.staff, id);
  expect(done.status).toBe('completed');
  expect(done.summary).toMatchObject({ claimsNew: 1000, claimsUpdated: 0, claimsUnchanged: 0, claimsResolved: 0 });
  expect(done.rowsCommitted).toBe(1000);
  expect(Number((await q('select count(*) n from claims where location_id = $1', [loc])).rows[0].n)).toBe(1000);
  await running.close();
});

it('lets other workers finish an import whose workers were killed with SIGKILL again and again, each row applied once', async () => {
  const loc = await freshLocation();
  await slowMerges(0.15);
  const id = await upload(generateAgingCsv({ rows: 3000, startAt: 50_000 }), loc);
  // A stall is not a failure: BullMQ failed the job at the fourth kill before ("job stalled more than
  // allowable limit"), and with JOB_ATTEMPTS 1 here a stall that spent an attempt would end it.
  let atDeath = 0;
  for (let kill = 1; kill <= 4; kill++) {
    const doomed = workerProcess();
    // A new process on a busy machine can take a while to start: the deadline only bounds a hang.
    await waitUntil(`worker ${kill} to move the import on`, async () => (await committed(id)) >= atDeath + 200, 60_000);
    doomed.kill('SIGKILL');
    await doomed.exited;
    atDeath = await committed(id);
  }
  expect(atDeath).toBeLessThan(3000);
  await fastMerges();
  const rescuer = worker();
  // The dead worker's lock runs out and a stalled check hands the job over: see LOCK_DURATION_MS.
  await waitUntil('the import to move again', async () => (await committed(id)) > atDeath, 60_000);
  const done = await waitForImport(stack.url, stack.staff, id, undefined, 40_000);
  expect(done.status).toBe('completed');
  expect(done.summary).toMatchObject({ claimsNew: 3000, claimsUpdated: 0, claimsUnchanged: 0 });
  expect(done.rowsCommitted).toBe(3000);
  expect(Number((await q('select count(*) n from claims where location_id = $1', [loc])).rows[0].n)).toBe(3000);
  await rescuer.close();
}, 240_000);

it('stops a worker on SIGTERM after the chunk in flight, and the import resumes elsewhere', async () => {
  const loc = await freshLocation(generateAgingCsv({ rows: 3000, startAt: 50_000 }));
  await slowMerges(0.15);
  const leaving = workerProcess();
  const id = await upload(generateAgingCsv({ rows: 2000, startAt: 50_000, changeEvery: 3 }), loc);
  await waitUntil('the first chunks to commit', async () => (await committed(id)) >= 200);
  // The worker that imports runs below the API's priority (WORKER_NICE's default, see priority.ts).
  expect(getPriority(leaving.pid)).toBe(5);
  leaving.kill('SIGTERM');
  const exit = await leaving.exited;
  expect(exit.code).toBe(0);
  const atStop = (await q('select status, rows_committed from imports where id = $1', [id])).rows[0];
  expect(atStop.status).toBe('queued');
  expect(atStop.rows_committed).toBeLessThan(2000);
  // Its job is back in the queue and unlocked: the next worker takes it at once, not once a lock
  // left behind has run out.
  const redis = createRedisConnection(redisUrl());
  const queue = createImportQueue(redis, stack.env.QUEUE_PREFIX!);
  try {
    expect(['waiting', 'delayed']).toContain(await (await queue.getJob(id))?.getState());
    expect(await redis.exists(`${stack.env.QUEUE_PREFIX!}:imports:${id}:lock`)).toBe(0);
  } finally {
    await queue.close();
    await redis.quit();
  }
  await fastMerges();
  const next = worker();
  const done = await waitForImport(stack.url, stack.staff, id, undefined, 40_000);
  expect(done.status).toBe('completed');
  // Rows 50,000..51,999 of the previous 3,000: every third balance changed, the last 1,000 are gone.
  const changed = Math.floor(51_999 / 3) - Math.floor(49_999 / 3);
  expect(done.summary).toMatchObject({
    claimsNew: 0,
    claimsUpdated: changed,
    claimsUnchanged: 2000 - changed,
    claimsResolved: 1000,
  });
  await next.close();
});

it('cancels an import mid-commit and leaves the claims exactly as they were', async () => {
  const loc = await freshLocation(generateAgingCsv({ rows: 3000, startAt: 50_000 }));
  const before = await claimsAt(loc);
  await slowMerges(0.1);
  const running = worker();
  const id = await upload(generateAgingCsv({ rows: 3000, startAt: 49_000, changeEvery: 2 }), loc);
  await waitUntil('the first chunks to commit', async () => (await committed(id)) >= 200);
  const cancel = await admin.post(`/imports/${id}/cancel`);
  expect(cancel.status).toBe(202);
  const done = await waitForImport(stack.url, stack.staff, id);
  expect(done.status).toBe('cancelled');
  expect(done.error.message).toMatch(/nothing from this file was applied/);
  expect(await claimsAt(loc)).toEqual(before);
  expect(Number((await q('select count(*) n from staged_claims where import_id = $1', [id])).rows[0].n)).toBe(0);
  await fastMerges();
  await running.close();
});

it('cancels a queued import before any worker takes it', async () => {
  const loc = await freshLocation();
  const id = await upload(generateAgingCsv({ rows: 10 }), loc);
  const cancel = await admin.post(`/imports/${id}/cancel`);
  expect(cancel.status).toBe(202);
  expect(cancel.body.status).toBe('cancelled');
  const running = worker();
  // A file of the same location uploaded after it is applied only once the earlier one is over:
  // when it has completed, the worker has been past the cancelled one.
  const later = await waitForImport(stack.url, stack.staff, await upload(generateAgingCsv({ rows: 10 }), loc));
  expect(later.status).toBe('completed');
  expect((await staff.get(`/imports/${id}`)).body.status).toBe('cancelled');
  await running.close();
});
