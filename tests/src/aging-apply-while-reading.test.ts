// An aging file applied as it is read (mode commit, bad rows skipped): each chunk is merged, on a
// second connection, while the next one is staged. A failure part-way must still leave nothing
// half-applied, and a retry must finish the job with the figures a clean run gives.
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv, reimportSummary } from './support/generate.js';
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

/** Each test its own location: a snapshot of one test's claims must not close another's. */
let location = '';
let locations = 0;
beforeEach(async () => {
  locations++;
  location = (await q(`insert into locations (practice_id, name) values ($1, $2) returning id`, [stack.seed.practice.id, `Test ${locations}`]))[0].id;
});

async function importFile(csv: string, name: string, statuses?: string[], locationId = location) {
  const up = await staff.upload(csv, { kind: 'aging', locationId }, name);
  expect(up.status).toBe(202);
  return waitForImport(stack.url, stack.staff, up.body.id, statuses);
}

/** Save of an import held for review (it has unreadable rows and closes claims): an administrator's. */
async function saveReview(imp: { id: string; status: string; review: unknown }) {
  expect(imp).toMatchObject({ status: 'ready', review: { reason: 'rejected_rows' } });
  expect((await admin.post(`/imports/${imp.id}/commit`)).status).toBe(202);
  return waitForImport(stack.url, stack.staff, imp.id);
}

it('undoes the chunks it merged when the last attempt fails part-way, and a retry then applies the file exactly', async () => {
  const first = await importFile(generateAgingCsv({ rows: 600, startAt: 3_000_001 }), 'monday.csv');
  expect(first.status).toBe('completed');
  const before = await claimsTable();

  // The database refuses to change one claim near the end of the file (its balance changes): chunks
  // before it are merged by then.
  await q(`alter table claims add constraint lp_test_refuse check (claim_key <> 'C-03000552') not valid`);
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
  const expected = reimportSummary({ rows: 600, startAt: 3_000_001, changeEvery: 4, dropEvery: 9 });
  expect(done.summary).toMatchObject(expected);
  expect(done.rowsCommitted).toBe(600 - expected.claimsResolved);
});

it('creates each new payer once, from the chunk that first names it, and none a rejected duplicate alone names', async () => {
  const lines = generateAgingCsv({ rows: 350, startAt: 4_000_001 }).trimEnd().split('\n');
  // Line 251 (third chunk) names a payer no earlier line does; the last line repeats claim C-04000001
  // with a payer of its own, so it is rejected as a duplicate and that payer must not appear.
  lines[251] = lines[251]!.replace(/,[^,]+,(\d\d\/\d\d\/2026)/, ',Late Payer Mutual,$1');
  lines.push(lines[1]!.replace(/,[^,]+,(\d\d\/\d\d\/2026)/, ',Only On A Duplicate,$1'));
  const users = Number((await q('select count(*) n from users where active'))[0].n);
  const payersBefore = Number((await q('select count(*) n from payers'))[0].n);

  const done = await importFile(lines.join('\n') + '\n', 'late-payer.csv');
  expect(done.status).toBe('completed');
  expect(done.summary).toMatchObject({ claimsNew: 350 });
  expect(done.rowsRejected).toBe(1);
  const late = await q(`select id, created_by_import from payers where name = 'Late Payer Mutual'`);
  expect(late).toEqual([{ id: expect.any(Number), created_by_import: done.id }]);
  expect(await q(`select 1 from payers where name = 'Only On A Duplicate'`)).toEqual([]);
  const created = Number((await q('select count(*) n from payers'))[0].n) - payersBefore;
  expect(done.summary.payersCreated).toBe(created);
  // One notification for the file's new payers per user but the uploader (who reads them in "completed").
  const notes = await q(`select message from notifications where kind = 'payers_created' and link = $1`, [
    `/imports/${done.id}`,
  ]);
  expect(notes).toHaveLength(users - 1);
  expect(notes[0].message).toContain('Late Payer Mutual');
  expect(
    await q(
      `select count(*)::int n from claims c join payers p on p.id = c.payer_id where p.name = 'Late Payer Mutual'`,
    ),
  ).toEqual([{ n: 1 }]);
});

it('a retry that resumes mid-file merges what earlier attempts staged, up to each chunk and no further, with bad rows making chunks uneven', async () => {
  const main = location;
  const riverside = (await q(`insert into locations (practice_id, name) values ($1, 'Clean run') returning id`, [stack.seed.practice.id]))[0].id;
  // Every 37th line unreadable: the staged rows of a chunk no longer line up with CHUNK_ROWS.
  const withBadRows = (csv: string) =>
    csv
      .split('\n')
      .map((l, i) => (i > 0 && i % 37 === 0 ? l.replace(/,[\d.]+$/, ',not money') : l))
      .join('\n');
  const monday = generateAgingCsv({ rows: 700, startAt: 5_000_001 });
  const tuesday = withBadRows(generateAgingCsv({ rows: 700, startAt: 5_000_001, changeEvery: 5, dropEvery: 8 }));
  const run = (csv: string, name: string, locationId: string) => importFile(csv, name, undefined, locationId);
  // The clean run, at another location, gives the figures to match. Its unreadable rows hold the
  // snapshot for an administrator's review before it closes anything.
  expect((await run(monday, 'monday.csv', riverside)).status).toBe('completed');
  const clean = await saveReview(await run(tuesday, 'tuesday.csv', riverside));
  expect(clean.status).toBe('completed');

  expect((await run(monday, 'monday.csv', main)).status).toBe('completed');
  // Refused early (second chunk): the read goes on for a chunk or two, then stops with the failure.
  await q(`alter table claims add constraint lp_test_refuse_early check (claim_key <> 'C-05000150') not valid`);
  const failed = await run(tuesday, 'tuesday.csv', main);
  expect(failed.status).toBe('failed');
  const [row] = await q('select commit_checkpoint, stage_checkpoint, phase from imports where id = $1', [failed.id]);
  expect(row).toMatchObject({ commit_checkpoint: 0, phase: 'staging' });
  expect(row.stage_checkpoint).toBeGreaterThan(150);
  expect(row.stage_checkpoint).toBeLessThan(700);

  await q('alter table claims drop constraint lp_test_refuse_early');
  expect((await admin.post(`/imports/${failed.id}/retry`)).status).toBe(202);
  const done = await saveReview(await waitForImport(stack.url, stack.staff, failed.id));
  expect(done.status).toBe('completed');
  const figures = (i: typeof done) => ({
    summary: { ...i.summary, payersCreated: undefined },
    rowsRead: i.rowsRead,
    rowsAccepted: i.rowsAccepted,
    rowsRejected: i.rowsRejected,
    rowsCommitted: i.rowsCommitted,
  });
  expect(figures(done)).toEqual(figures(clean));
  const balances = async (locationId: string) =>
    q(
      "select claim_key, balance_cents, resolved_at is null as open from claims where location_id = $1 and claim_key like 'C-05%' order by claim_key",
      [locationId],
    );
  expect(await balances(main)).toEqual(await balances(riverside));
});

it('starts over from the first line when the rows it staged are gone (the staging table is unlogged: a database crash empties it)', async () => {
  const main = location;
  expect((await importFile(generateAgingCsv({ rows: 600, startAt: 6_000_001 }), 'monday.csv')).status).toBe(
    'completed',
  );
  await q(`alter table claims add constraint lp_test_refuse_late check (claim_key <> 'C-06000548') not valid`);
  const failed = await importFile(
    generateAgingCsv({ rows: 600, startAt: 6_000_001, changeEvery: 4, dropEvery: 9 }),
    'tuesday.csv',
  );
  expect(failed.status).toBe('failed');
  await q('alter table claims drop constraint lp_test_refuse_late');
  // What a crash does to the unlogged partition: staged rows gone, checkpoints (logged) still there.
  await q(`truncate staged_claims_${failed.id.replace(/-/g, '')}`);
  const [before] = await q('select stage_checkpoint, rows_accepted from imports where id = $1', [failed.id]);
  expect(before.stage_checkpoint).toBeGreaterThan(400);

  expect((await admin.post(`/imports/${failed.id}/retry`)).status).toBe(202);
  const done = await waitForImport(stack.url, stack.staff, failed.id);
  expect(done.status).toBe('completed');
  const expected = reimportSummary({ rows: 600, startAt: 6_000_001, changeEvery: 4, dropEvery: 9 });
  expect(done.summary).toMatchObject(expected);
  const gone = expected.claimsResolved;
  expect(done).toMatchObject({
    rowsRead: 600 - gone,
    rowsAccepted: 600 - gone,
    rowsCommitted: 600 - gone,
    rowsRejected: 0,
  });
  const open = await q(
    `select count(*)::int n from claims where location_id = $1 and claim_key like 'C-06%' and resolved_at is null`,
    [main],
  );
  expect(open[0].n).toBe(600 - gone);
});

it("times each close for the location's next file, which expects as long a close, and notes the rows' seconds of a file read whole", async () => {
  const counters = async (id: string) => (await q('select counters from imports where id = $1', [id]))[0].counters;
  const monday = await importFile(generateAgingCsv({ rows: 400, startAt: 6_000_001 }), 'monday.csv');
  expect(monday.status).toBe('completed');
  // A location's first file has no close to time, and none before it.
  expect(await counters(monday.id)).not.toHaveProperty('closeSeconds');
  expect(await counters(monday.id)).not.toHaveProperty('lastCloseSeconds');

  const tuesday = await importFile(generateAgingCsv({ rows: 400, startAt: 6_000_001, changeEvery: 5, dropEvery: 10 }), 'tuesday.csv');
  expect(tuesday.status).toBe('completed');
  const t = await counters(tuesday.id);
  expect(t.closeSeconds).toEqual(expect.any(Number));
  expect(t.rowsSeconds).toBeGreaterThan(0);
  expect(t).not.toHaveProperty('lastCloseSeconds');

  // Wednesday starts from Tuesday's close (planted, to tell it apart). It has an unreadable row and
  // closes claims, so it waits for an administrator, and its Save merges rows read long before: its
  // close is timed, but no rows' seconds are noted for it.
  await q(`update imports set counters = counters || '{"closeSeconds": 12.5}' where id = $1`, [tuesday.id]);
  const wednesdayCsv = generateAgingCsv({ rows: 400, startAt: 6_000_001, dropEvery: 7 })
    .split('\n')
    .map((l, i) => (i === 50 ? l.replace(/,[\d.]+$/, ',not money') : l))
    .join('\n');
  const wednesday = await saveReview(await importFile(wednesdayCsv, 'wednesday.csv'));
  expect(wednesday.status).toBe('completed');
  const w = await counters(wednesday.id);
  expect(w.lastCloseSeconds).toBe(12.5);
  expect(w.closeSeconds).toEqual(expect.any(Number));
  expect(w.closeSeconds).not.toBe(12.5);
  expect(w).not.toHaveProperty('rowsSeconds');

  // Thursday starts from Wednesday's.
  const thursday = await importFile(generateAgingCsv({ rows: 400, startAt: 6_000_001, changeEvery: 3, dropEvery: 7 }), 'thursday.csv');
  expect(thursday.status).toBe('completed');
  expect((await counters(thursday.id)).lastCloseSeconds).toBe(w.closeSeconds);
});
