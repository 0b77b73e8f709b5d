// Uploaded files hold patient data: kept readable by the service alone, and deleted, with the rejected
// rows' cells read from them, when the practice's retention runs out (a discarded file at once).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createMaintenanceQueue, createRedisConnection, requestRetentionRun } from '@ledgerport/queue';
import { client, waitForImport } from './support/http.js';
import { AGING_HEADER } from './support/generate.js';
import { redisUrl, startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack({ env: { JOB_ATTEMPTS: '1' } });
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
const fileOf = async (id: string) => path.join(stack.env.UPLOAD_DIR!, (await q('select storage_key from imports where id = $1', [id]))[0].storage_key);
const exists = (p: string) => stat(p).then(() => true, () => false);

/** Asks the worker for a retention run and returns once it is over (its job leaves the queue when done). */
async function runRetention() {
  const redis = createRedisConnection(redisUrl());
  const queue = createMaintenanceQueue(redis, stack.env.QUEUE_PREFIX!);
  try {
    await requestRetentionRun(queue);
    // The hourly schedules sit in 'delayed'; nothing waiting or running means the run asked for is done.
    await waitUntil('the retention run to finish', async () => {
      const counts = await queue.getJobCounts('wait', 'active', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    });
  } finally {
    await queue.close();
    await redis.quit();
  }
}

const BAD = [AGING_HEADER, 'R-1,A1,"Rivera, Ana",01/02/1960,Aetna,09/02/2026,10.00,not money', 'R-2,A2,"Roe, Rich",01/02/1961,Aetna,09/03/2026,10.00,5.00'].join('\n') + '\n';

it('stores uploads readable by the service alone (0600 files in 0700 folders)', async () => {
  const up = await staff.upload(BAD, { kind: 'aging', locationId: stack.seed.locations[0]!.id }, 'modes.csv');
  const imp = await waitForImport(stack.url, stack.staff, up.body.id);
  const file = await fileOf(imp.id);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
});

it("deletes a file, its rejected rows and error cell values when the practice's retention runs out, and says so", async () => {
  const up = await staff.upload(BAD, { kind: 'aging', locationId: stack.seed.locations[1]!.id }, 'old.csv');
  const imp = await waitForImport(stack.url, stack.staff, up.body.id);
  expect(imp).toMatchObject({ status: 'completed', rowsRejected: 1, fileDeletedAt: null });
  const file = await fileOf(imp.id);
  await runRetention();
  // Within the retention: kept.
  expect(await exists(file)).toBe(true);

  await q(`update practices set retention_days = 30`);
  await q(`update imports set finished_at = now() - interval '31 days' where id = $1`, [imp.id]);
  await runRetention();
  await waitUntil('the file to be deleted', async () => !(await exists(file)));
  await waitUntil('the import to say so', async () => (await staff.get(`/imports/${imp.id}`)).body.fileDeletedAt !== null);
  expect(await q('select count(*)::int n from import_rejected_rows where import_id = $1', [imp.id])).toEqual([{ n: 0 }]);
  expect(await q(`select value from import_row_errors where import_id = $1`, [imp.id])).toEqual([{ value: '' }]);
  // What it applied, its counts and messages stay.
  const after = (await staff.get(`/imports/${imp.id}`)).body;
  expect(after).toMatchObject({ status: 'completed', rowsRejected: 1, summary: { claimsNew: 1 } });
  expect((await staff.get(`/imports/${imp.id}/errors`)).body.items[0].message).toMatch(/not an amount of money/);
});

it('deletes a discarded preview at once', async () => {
  const up = await staff.upload(BAD + 'R-3,A3,"Poe, Ed",01/02/1962,Aetna,09/04/2026,10.00,7.00\n', { kind: 'aging', locationId: stack.seed.locations[1]!.id, mode: 'preview' }, 'discarded.csv');
  expect(up.status).toBe(202);
  const ready = await waitForImport(stack.url, stack.staff, up.body.id);
  expect(ready.status).toBe('ready');
  const file = await fileOf(ready.id);
  expect((await staff.post(`/imports/${ready.id}/discard`)).status).toBe(200);
  await waitUntil('the discarded file to be deleted', async () => !(await exists(file)));
  await waitUntil('the import to say so', async () => (await staff.get(`/imports/${ready.id}`)).body.fileDeletedAt !== null);
});

it('refuses to retry an import whose file was deleted, in words staff understand', async () => {
  const up = await staff.upload('not,a,report\n1,2,3\n', { kind: 'aging', locationId: stack.seed.locations[1]!.id }, 'unknown-layout.csv');
  const failed = await waitForImport(stack.url, stack.staff, up.body.id);
  expect(failed.status).toBe('failed');
  await q(`update imports set finished_at = now() - interval '31 days' where id = $1`, [failed.id]);
  await runRetention();
  await waitUntil('the import to say so', async () => (await staff.get(`/imports/${failed.id}`)).body.fileDeletedAt !== null);
  const retry = await admin.post(`/imports/${failed.id}/retry`);
  expect(retry.status).toBe(409);
  expect(retry.body.error).toMatchObject({ code: 'file_deleted', message: expect.stringMatching(/^The file of this import was deleted on \d\d\/\d\d\/\d{4}, as your practice's retention policy says\. Upload it again/) });
});

it('leaves nothing read from a file once its retention ran out: no quoted cell in messages, header, notifications or staged rows', async () => {
  const MARKER = 'Zqxvretain';
  // A location of its own: with no open claims, a file with a rejected row closes nothing and applies.
  const loc = (await q(`insert into locations (practice_id, name) values ($1, 'Retained') returning id`, [stack.seed.practice.id]))[0].id as string;
  // An aging file applied with a rejected row whose cells carry the marker (its money and payer quoted
  // by the row's messages), and files that fail quoting their first row or their header.
  const aging = await waitForImport(
    stack.url,
    stack.staff,
    (
      await staff.upload(
        [AGING_HEADER, `M-1,A1,"${MARKER}, Ana",01/02/1960,Aetna,09/02/2026,10.00,${MARKER}`, 'M-2,A2,"Roe, Rich",01/02/1961,Aetna,09/03/2026,10.00,5.00'].join('\n') + '\n',
        { kind: 'aging', locationId: loc },
        'marked.csv',
      )
    ).body.id,
  );
  expect(aging).toMatchObject({ status: 'completed', rowsRejected: 1 });
  const headerless = await waitForImport(
    stack.url,
    stack.staff,
    (await staff.upload(`5000,${MARKER},Rivera,03/14/1962,F,555-0100\n`, { kind: 'patients' }, 'headerless.csv')).body.id,
  );
  expect(headerless).toMatchObject({ status: 'failed', error: { code: 'unusable_header' } });
  const unknownLayout = await waitForImport(
    stack.url,
    stack.staff,
    (await staff.upload(`Ref ${MARKER},Who,Owed\nC-1,${MARKER},1.00\n`, { kind: 'aging', locationId: loc }, 'unknown.csv')).body.id,
  );
  expect(unknownLayout).toMatchObject({ status: 'failed', error: { code: 'unrecognized_layout' } });
  const missingPatients = await waitForImport(
    stack.url,
    stack.staff,
    (await staff.upload(`accountNumber,patientName,paymentBalance\n9${MARKER},"${MARKER}, Ana",1.00\n1,"B, B",2.00\n`, { kind: 'patient_balances' }, 'balances.csv')).body.id,
  );
  expect(missingPatients.status).toBe('failed');
  const ids = [aging.id, headerless.id, unknownLayout.id, missingPatients.id];

  const traces = async () => {
    const like = `%${MARKER.toLowerCase()}%`;
    const found: string[] = [];
    for (const [what, sql] of [
      ['imports', 'select count(*)::int n from imports i where id = any($1) and lower(row_to_json(i)::text) like $2'],
      ['row errors', 'select count(*)::int n from import_row_errors e where import_id = any($1) and lower(row_to_json(e)::text) like $2'],
      ['rejected rows', 'select count(*)::int n from import_rejected_rows r where import_id = any($1) and lower(row_to_json(r)::text) like $2'],
      ['staged rows', 'select count(*)::int n from staged_rows s where import_id = any($1) and lower(row_to_json(s)::text) like $2'],
      ['staged claims', 'select count(*)::int n from staged_claims s where import_id = any($1) and lower(row_to_json(s)::text) like $2'],
      ['notifications', `select count(*)::int n from notifications x where link = any(select '/imports/' || unnest($1::uuid[])) and lower(row_to_json(x)::text) like $2`],
    ] as const) {
      const n = (await q(sql, [ids, like]))[0].n as number;
      if (n) found.push(`${what}: ${n}`);
    }
    return found;
  };
  // Within the retention the practice reads it all.
  expect((await traces()).length).toBeGreaterThan(0);

  await q(`update imports set finished_at = now() - interval '31 days' where id = any($1)`, [ids]);
  await runRetention();
  await waitUntil('every file to be forgotten', async () => (await q('select count(*)::int n from imports where id = any($1) and file_deleted_at is null', [ids]))[0].n === 0);
  expect(await traces()).toEqual([]);
  // What staff still read: what was wrong, in words, and that the file is gone.
  const errors = (await staff.get(`/imports/${aging.id}/errors`)).body.items;
  expect(errors.map((e: { message: string }) => e.message).join(' ')).toMatch(/not an amount of money/);
  const failed = (await staff.get(`/imports/${headerless.id}`)).body;
  expect(failed).toMatchObject({ status: 'failed', error: { code: 'unusable_header' } });
  expect(failed.error.message.length).toBeGreaterThan(20);
});
