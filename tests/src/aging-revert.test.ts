import { withLocationLock } from '@ledgerport/db';
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack({ env: { CHUNK_ROWS: '100' } });
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
/** Every column of every claim: a revert must give back exactly this. */
const claimsTable = () => q('select * from claims order by id');

async function importFile(csv: string, name: string) {
  const up = await staff.upload(csv, { kind: 'aging', locationId: stack.seed.locations[0]!.id }, name);
  return waitForImport(stack.url, stack.staff, up.body.id);
}

it('reverts the latest import to the exact previous state, then the one before it, in order', async () => {
  const empty = await claimsTable();
  const a = await importFile(generateAgingCsv({ rows: 500 }), 'a.csv');
  expect(a.status).toBe('completed');
  const afterA = await claimsTable();
  const locationAfterA = await q('select last_report_date from locations where id = $1', [stack.seed.locations[0]!.id]);

  const b = await importFile(generateAgingCsv({ rows: 520, changeEvery: 7, dropEvery: 11 }), 'b.csv');
  expect(b.summary).toMatchObject({ claimsNew: expect.any(Number), claimsUpdated: expect.any(Number), claimsResolved: 45 });
  expect(await claimsTable()).not.toEqual(afterA);
  // Before-images are kept for the claims b changed; the ones it resolved need none (undo clears
  // resolved_at and resolved_by_import, the only columns resolving sets).
  expect((await q('select count(*)::int n from claim_versions where import_id = $1', [b.id]))[0].n).toBe(b.summary.claimsUpdated);
  expect((await q('select count(*)::int n from claims where resolved_by_import = $1', [b.id]))[0].n).toBe(45);

  expect((await staff.post(`/imports/${b.id}/revert`)).status).toBe(403);
  const tooEarly = await admin.post(`/imports/${a.id}/revert`);
  expect(tooEarly.status).toBe(409);
  expect(tooEarly.body.error).toEqual({ code: 'not_latest', message: 'Only the latest import of a location can be reverted. Revert b.csv first, then this one.' });

  const rb = await admin.post(`/imports/${b.id}/revert`);
  expect(rb.status).toBe(200);
  expect(rb.body).toMatchObject({ status: 'reverted', reverted: { by: stack.seed.users.find((u) => u.role === 'admin')!.id } });
  expect(await claimsTable()).toEqual(afterA);
  expect(await q('select last_report_date from locations where id = $1', [stack.seed.locations[0]!.id])).toEqual(locationAfterA);
  expect((await admin.post(`/imports/${b.id}/revert`)).status).toBe(409);

  const ra = await admin.post(`/imports/${a.id}/revert`);
  expect(ra.status).toBe(200);
  expect(await claimsTable()).toEqual(empty);
  // Both stay in the history.
  const list = (await staff.get('/imports')).body.items.map((i: any) => [i.fileName, i.status]);
  expect(list).toEqual([
    ['b.csv', 'reverted'],
    ['a.csv', 'reverted'],
  ]);
});

// Patient imports can be reverted too now (the latest of each kind); what is refused is one that
// never completed, such as a preview still waiting for Save.
it('refuses to revert an import that did not complete', async () => {
  const up = await staff.upload('Account Number,First Name,Last Name\nP-1,Pat,Doe\n', { kind: 'patients' });
  expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('ready');
  const r = await admin.post(`/imports/${up.body.id}/revert`);
  expect(r.status).toBe(409);
  // A patients file waits for Save (preview): only a completed import, of any kind, can be reverted.
  expect(r.body.error.message).toBe('Only a completed import can be reverted; this one is ready.');
});

it('answers at once that the location is busy while a worker holds its lock, instead of waiting in the request', async () => {
  const locationId = stack.seed.locations[1]!.id;
  const up = await staff.upload(generateAgingCsv({ rows: 50, startAt: 6_000_001 }), { kind: 'aging', locationId }, 'busy.csv');
  expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('completed');
  // A worker merging another file of the location holds the lock for as long as its merge takes.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let taken!: () => void;
  const isTaken = new Promise<void>((r) => (taken = r));
  const worker = withLocationLock(stack.db.handle.pool, locationId, async () => {
    taken();
    await released;
  });
  await isTaken;
  const busy = await admin.post(`/imports/${up.body.id}/revert`);
  release();
  await worker;
  expect(busy.status).toBe(409);
  expect(busy.body.error).toEqual({
    code: 'location_busy',
    message: 'Another file for this location is being applied right now; try again in a few minutes.',
  });
  const r = await admin.post(`/imports/${up.body.id}/revert`);
  expect(r.status).toBe(200);
  expect(r.body.status).toBe('reverted');
});
