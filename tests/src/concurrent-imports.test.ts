import { client, waitForImport } from './support/http.js';
import { generateAgingCsv, reimportSummary } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    worker: false,
    env: { WORKER_CONCURRENCY: '2', CHUNK_ROWS: '50', JOB_ATTEMPTS: '2' },
  });
});
afterAll(() => stack.close());

async function ownLocation(name: string): Promise<string> {
  const { rows } = await stack.db.handle.pool.query<{ id: string }>(
    'insert into locations (practice_id, name) values ($1, $2) returning id',
    [stack.seed.practice.id, name],
  );
  return rows[0]!.id;
}

it('creates each new payer once, and notifies once, when two imports name it at the same time', async () => {
  const staff = client(stack.url, stack.staff);
  const payers = ['Zenith Health', 'ZENITH HEALTH', 'Orbit Vision', 'orbit  vision', 'Nova Dental', 'Nova-Dental'];
  const ids: string[] = [];
  for (const [i, loc] of stack.seed.locations.entries()) {
    const up = await staff.upload(
      generateAgingCsv({ rows: 600, startAt: 1 + i * 1000, payers: i ? payers.slice().reverse() : payers }),
      { kind: 'aging', locationId: loc.id },
    );
    ids.push(up.body.id);
  }
  const w1 = stack.startWorker();
  const w2 = stack.startWorker();
  const done = await Promise.all(ids.map((id) => waitForImport(stack.url, stack.staff, id)));
  expect(done.map((d) => d.status)).toEqual(['completed', 'completed']);
  const { rows } = await stack.db.handle.pool.query(
    'select normalized_name, count(*)::int n from payers group by 1 order by 1',
  );
  expect(rows).toEqual([
    { normalized_name: expect.any(String), n: 1 },
    { normalized_name: expect.any(String), n: 1 },
    { normalized_name: expect.any(String), n: 1 },
  ]);
  expect(done[0].summary.payersCreated + done[1].summary.payersCreated).toBe(3);
  // Each payer is named in one notification per user: the import that created it tells the other
  // user, and its uploader's "completed" lists it.
  const notes = await stack.db.handle.pool.query(`select message from notifications where kind = 'payers_created'`);
  const creators = done.filter((d) => d.summary.payersCreated > 0).length;
  expect(notes.rows).toHaveLength(creators);
  expect(notes.rows.map((r) => r.message).join(' ')).toMatch(/brought/);
  await Promise.all([w1.close(), w2.close()]);
});

it('does not apply a file on top of another import of the location that merged part of its file and awaits its retry', async () => {
  const staff = client(stack.url, stack.staff);
  const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
  // A location of its own: in Main Street, base.csv would close the first test's 600 claims and wait
  // for an administrator instead of completing.
  const locationId = await ownLocation('Concurrent A');
  const claims = () =>
    q(
      `select claim_key, balance_cents, resolved_at is null as open from claims where location_id = $1 and claim_key like 'C-08%' order by 1`,
      [locationId],
    );
  const w = stack.startWorker();
  const base = await staff.upload(
    generateAgingCsv({ rows: 300, startAt: 8_000_001 }),
    { kind: 'aging', locationId },
    'base.csv',
  );
  expect((await waitForImport(stack.url, stack.staff, base.body.id)).status).toBe('completed');
  const afterBase = await claims();

  // A fails near its end on both attempts (the database refuses A's sighting of one claim): between
  // them it has merged most of its file, and lets go of the location lock while it waits 2 s for
  // its retry.
  await q(
    `alter table claims add constraint lp_test_refuse_a check (claim_key <> 'C-08000265' or last_seen_import = first_seen_import) not valid`,
  );
  const a = await staff.upload(
    generateAgingCsv({ rows: 300, startAt: 8_000_001, changeEvery: 3 }),
    { kind: 'aging', locationId },
    'a.csv',
  );
  const attempt = async () => (await q('select last_error, commit_checkpoint from imports where id = $1', [a.body.id]))[0];
  await waitUntil('a.csv to fail its first attempt', async () => Boolean((await attempt()).last_error));
  expect((await attempt()).commit_checkpoint).toBeGreaterThan(0);
  // Reverting the import before it would undo claims A has changed since: refused while A is not over.
  const revert = await client(stack.url, stack.admin).post(`/imports/${base.body.id}/revert`);
  expect(revert.status).toBe(409);
  expect(revert.body.error).toEqual({
    code: 'location_busy',
    message: 'a.csv is being applied to this location right now. Revert once it has finished (or failed).',
  });
  // B, a file without that claim (every 7th dropped: 8,000,265 is one; resolving it leaves
  // last_seen_import alone), arrives while A is half-applied: it must wait for A.
  const bCsv = generateAgingCsv({ rows: 300, startAt: 8_000_001, changeEvery: 5, dropEvery: 7 });
  const b = await staff.upload(bCsv, { kind: 'aging', locationId }, 'b.csv');
  const failedA = await waitForImport(stack.url, stack.staff, a.body.id);
  expect(failedA.status).toBe('failed');
  const doneB = await waitForImport(stack.url, stack.staff, b.body.id);
  expect(doneB.status).toBe('completed');
  // Waiting did not count as attempts: B was claimed once, when A was over.
  expect(doneB.attempts).toBe(1);
  await q('alter table claims drop constraint lp_test_refuse_a');

  // B applied to the state A's undo left, which is the base: the same as B applied right after the base.
  const [{ previous_import_id }] = await q('select previous_import_id from imports where id = $1', [b.body.id]);
  expect(previous_import_id).toBe(base.body.id);
  const expected = reimportSummary({ rows: 300, startAt: 8_000_001, changeEvery: 5, dropEvery: 7 });
  expect(doneB.summary).toMatchObject(expected);
  const gone = expected.claimsResolved;
  expect(afterBase).toHaveLength(300);
  const now = await claims();
  expect(now.filter((c: { open: boolean }) => c.open)).toHaveLength(300 - gone);
  await w.close();
});

it('waits for a half-applied import however long it has been quiet, until the reconciler has failed it and undone it', async () => {
  const staff = client(stack.url, stack.staff);
  // A location of its own, with no open claims the 120-row file would close (see above).
  const location = { id: await ownLocation('Concurrent B') };
  const staffId = stack.seed.users.find((u) => u.role === 'staff')!.id;
  const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
  const [practice] = await q('select practice_id from locations where id = $1', [location.id]);
  // Merged 40 rows, then its job was lost; quiet for longer than any time window would have waited.
  const [orphan] = await q(
    `insert into imports (practice_id, location_id, kind, original_name, size_bytes, sha256, storage_key, created_by,
       status, commit_checkpoint, half_applied, updated_at)
     values ($1, $2, 'aging', 'orphan.csv', 1, 'x', 'gone', $3, 'running', 40, true, now() - interval '11 minutes')
     returning id`,
    [practice.practice_id, location.id, staffId],
  );
  const w = stack.startWorker();
  const up = await staff.upload(
    generateAgingCsv({ rows: 120, startAt: 9_000_001 }),
    { kind: 'aging', locationId: location.id },
    'after-orphan.csv',
  );
  const done = await waitForImport(stack.url, stack.staff, up.body.id);
  expect(done.status).toBe('completed');
  expect(done.attempts).toBe(1);
  // It applied after the orphan was over: failed by the reconciler, what it merged undone.
  const [after] = await q('select status, half_applied, finished_at from imports where id = $1', [orphan.id]);
  expect(after).toMatchObject({ status: 'failed', half_applied: false });
  expect(new Date(done.startedAt).getTime()).toBeGreaterThanOrEqual(after.finished_at.getTime());
  await w.close();
});
