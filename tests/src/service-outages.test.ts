import { addLocation, claimFingerprint } from './support/claims.js';
import { generateAgingCsv } from './support/generate.js';
import { client, request, waitForImport } from './support/http.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';
import { spawnWorker } from './support/worker-process.js';

// Postgres or Redis going away is waited out; no process crashes.
let stack: TestStack;
let staff: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startTestStack({ worker: false, env: { JOB_ATTEMPTS: '1', CHUNK_ROWS: '100' } });
  staff = client(stack.url, stack.staff);
});
afterAll(() => stack.close());

const q = (sql: string, params: unknown[] = []) => stack.db.handle.pool.query(sql, params);

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
    expect((await request(stack.url, null, 'GET', '/health')).status).toBe(200);
  } finally {
    worker.kill('SIGTERM');
    await worker.exited;
  }
});
