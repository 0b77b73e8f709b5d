// An aging file applied as it is read (mode commit, bad rows skipped): each chunk is merged in the
// transaction that stages it. A failure part-way must still leave nothing half-applied, and a retry
// must finish the job with the figures a clean run gives.
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack({ env: { CHUNK_ROWS: '100', JOB_ATTEMPTS: '1' } });
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
const claimsTable = () => q('select * from claims order by id');

async function importFile(csv: string, name: string, statuses?: string[]) {
  const up = await staff.upload(csv, { kind: 'aging', locationId: stack.seed.locations[0]!.id }, name);
  expect(up.status).toBe(202);
  return waitForImport(stack.url, stack.staff, up.body.id, statuses);
}

it('undoes the chunks it merged when the last attempt fails part-way, and a retry then applies the file exactly', async () => {
  const first = await importFile(generateAgingCsv({ rows: 600, startAt: 3_000_001 }), 'monday.csv');
  expect(first.status).toBe('completed');
  const before = await claimsTable();

  // The database refuses one claim near the end of the file: chunks before it are merged by then.
  await q(`alter table claims add constraint lp_test_refuse check (claim_key <> 'C-03000550') not valid`);
  const tuesday = generateAgingCsv({ rows: 600, startAt: 3_000_001, changeEvery: 4, dropEvery: 9 });
  const failed = await importFile(tuesday, 'tuesday.csv');
  expect(failed.status).toBe('failed');
  expect(failed.error.message).toMatch(/Nothing from it was half-applied/);
  expect(await claimsTable()).toEqual(before);
  expect(await q('select * from claim_versions where import_id = $1', [failed.id])).toEqual([]);
  const [row] = await q('select commit_checkpoint, rows_committed, stage_checkpoint from imports where id = $1', [
    failed.id,
  ]);
  expect(row).toMatchObject({ commit_checkpoint: 0, rows_committed: 0 });
  expect(row.stage_checkpoint).toBeGreaterThan(400);

  await q('alter table claims drop constraint lp_test_refuse');
  expect((await admin.post(`/imports/${failed.id}/retry`)).status).toBe(202);
  const done = await waitForImport(stack.url, stack.staff, failed.id);
  expect(done.status).toBe('completed');
  // What a clean run of the same file gives: a quarter changed, a ninth gone (resolved).
  const gone = Math.floor(3_000_600 / 9) - Math.floor(3_000_000 / 9);
  const changed =
    Math.floor(3_000_600 / 4) - Math.floor(3_000_000 / 4) - (Math.floor(3_000_600 / 36) - Math.floor(3_000_000 / 36));
  expect(done.summary).toMatchObject({
    claimsNew: 0,
    claimsUpdated: changed,
    claimsUnchanged: 600 - gone - changed,
    claimsResolved: gone,
  });
  expect(done.rowsCommitted).toBe(600 - gone);
});
