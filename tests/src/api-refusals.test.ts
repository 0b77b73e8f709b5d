import { seedDemo } from '@ledgerport/db';
import { generateAgingCsv } from './support/generate.js';
import { client, sample, waitForImport } from './support/http.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

// Every refusal names what is wrong in a billing clerk's words and leaves the database as it was.
let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
let locationId: string;
// The API's clock runs this far ahead of the real one: a remembered token expires without waiting.
let clockAheadMs = 0;

beforeAll(async () => {
  stack = await startTestStack({
    env: { MAX_UPLOAD_BYTES: '2000', AUTH_CACHE_MS: '1500' },
    now: () => new Date(Date.now() + clockAheadMs),
  });
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
  locationId = stack.seed.locations[0]!.id;
});
afterAll(() => stack.close());

const importCount = async () => Number((await stack.db.handle.pool.query('select count(*) n from imports')).rows[0].n);

describe('authentication', () => {
  it('answers /health without a token, with both services reachable', async () => {
    const r = await client(stack.url, null).get('/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
  });

  it.each([
    [null, /Sign in/],
    ['not-a-token', /not valid/],
  ])('refuses token %p with 401', async (token, message) => {
    const r = await client(stack.url, token).get('/imports');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(message) });
  });

  it('refuses a deactivated user once the remembered lookup of their token has expired (AUTH_CACHE_MS)', async () => {
    expect((await staff.get('/me')).status).toBe(200);
    const setActive = (active: boolean) =>
      stack.db.handle.pool.query('update users set active = $1 where id = $2', [
        active,
        stack.seed.users.find((u) => u.role === 'staff')!.id,
      ]);
    await setActive(false);
    try {
      // Remembered: the poll costs no token lookup until AUTH_CACHE_MS has passed.
      expect((await staff.get('/me')).status).toBe(200);
      clockAheadMs += 1_600;
      const r = await staff.get('/me');
      expect(r.status).toBe(401);
      expect(r.body.error.message).toMatch(/no longer active/);
    } finally {
      await setActive(true);
    }
    // A refused token is not remembered: reactivated, it works at once.
    expect((await staff.get('/me')).status).toBe(200);
  });

  it('tells who is signed in and where they can upload', async () => {
    const me = await staff.get('/me');
    expect(me.body).toMatchObject({ role: 'staff', practice: { name: 'Demo Eye Care' }, user: { name: 'Sam Staff' } });
    const locs = await staff.get('/locations');
    expect(locs.body.items.map((l: any) => l.name)).toEqual(['Main Street', 'Riverside']);
  });
});

describe('uploads that are refused before anything is queued', () => {
  it('refuses a file over MAX_UPLOAD_BYTES with 413 and the limit', async () => {
    const before = await importCount();
    const r = await staff.upload('x'.repeat(5000), { kind: 'aging', locationId });
    expect(r.status).toBe(413);
    expect(r.body.error).toEqual({ code: 'file_too_large', message: expect.stringContaining('larger than the 2 KB limit') });
    expect(await importCount()).toBe(before);
  });

  it('refuses an unknown location', async () => {
    const r = await staff.upload('a,b\n1,2\n', { kind: 'aging', locationId: 'Nowhere' });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: 'unknown_location', message: 'Your practice has no location "Nowhere".' });
  });

  it('accepts a location by name as well as by id', async () => {
    const r = await staff.upload('Claim Number,Patient Name,Payer,Date of Service,Balance\nN-1,"A, B",Aetna,01/02/2026,1.00\n', { kind: 'aging', locationId: 'Riverside' });
    expect(r.status).toBe(202);
    await waitForImport(stack.url, stack.staff, r.body.id);
  });

  it('refuses an unknown kind', async () => {
    const r = await staff.upload('a,b\n', { kind: 'payroll', locationId });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_request');
    expect(r.body.error.message).toMatch(/Choose what kind of file this is/);
  });

  it('refuses an empty file', async () => {
    const r = await staff.upload('', { kind: 'aging', locationId }, 'empty.csv');
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: 'empty_file', message: expect.stringContaining('empty.csv is empty') });
  });

  it('refuses a request without a file', async () => {
    const form = new FormData();
    form.append('kind', 'aging');
    const r = await fetch(`${stack.url}/imports`, { method: 'POST', headers: { authorization: `Bearer ${stack.staff}` }, body: form });
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).error.code).toBe('file_missing');
  });

  it('refuses a missing location', async () => {
    const r = await staff.upload('a\n', { kind: 'aging' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('location_required');
  });
});

describe('a file whose header cannot be mapped', () => {
  it('fails at once, without retries, naming the missing columns, and notifies the uploader', async () => {
    const up = await staff.upload('Name,Amount,When\n"Doe, J",12.00,01/01/2026\n', { kind: 'aging', locationId }, 'odd.csv');
    expect(up.status).toBe(202);
    const imp = await waitForImport(stack.url, stack.staff, up.body.id);
    expect(imp.status).toBe('failed');
    expect(imp.attempts).toBe(1);
    expect(imp.error.code).toBe('unrecognized_layout');
    expect(imp.error.message).toMatch(/which needs Payer, Date of Service and Balance\. Columns we did not recognize: "Amount", "When"/);
    const claims = Number((await stack.db.handle.pool.query('select count(*) n from claims')).rows[0].n);
    expect(claims).toBe(1); // only the Riverside claim from the earlier test
    const notes = await staff.get('/notifications');
    expect(notes.body.items[0]).toMatchObject({ kind: 'import_failed', message: expect.stringContaining('odd.csv could not be imported') });
  });
});

describe('other practices and roles', () => {
  let importId: string;
  let otherToken: string;

  beforeAll(async () => {
    const up = await staff.upload(await sample('aging-generic.csv'), { kind: 'aging', locationId });
    importId = up.body.id;
    await waitForImport(stack.url, stack.staff, importId);
    const other = await seedDemo(stack.db.handle.db, { practiceName: 'Other Optometry' });
    otherToken = other.users.find((u) => u.role === 'admin')!.token;
  });

  it.each([
    ['GET', ''],
    ['GET', '/errors'],
    ['POST', '/retry'],
    ['POST', '/cancel'],
  ])("answers 404 to another practice's %s /imports/:id%s", async (method, suffix) => {
    const other = client(stack.url, otherToken);
    const r = method === 'GET' ? await other.get(`/imports/${importId}${suffix}`) : await other.post(`/imports/${importId}${suffix}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });

  it("does not list another practice's imports", async () => {
    const r = await client(stack.url, otherToken).get('/imports');
    expect(r.body.total).toBe(0);
  });

  it('answers 404 to an id that is not an import', async () => {
    expect((await staff.get('/imports/not-a-uuid')).status).toBe(404);
    expect((await staff.get('/imports/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('forbids staff to retry or cancel', async () => {
    for (const action of ['retry', 'cancel']) {
      const r = await staff.post(`/imports/${importId}/${action}`);
      expect(r.status).toBe(403);
      expect(r.body.error).toEqual({ code: 'forbidden', message: 'Only a practice administrator can do that.' });
    }
  });

  it('refuses to retry a failure that a retry would only repeat, saying what to do instead', async () => {
    const up = await staff.upload(generateAgingCsv({ rows: 2, startAt: 880_000 }), { kind: 'aging', locationId }, 'wont-retry.csv');
    expect(up.status).toBe(202);
    await waitForImport(stack.url, stack.staff, up.body.id);
    const failAs = (code: string) =>
      stack.db.handle.pool.query(`update imports set status = 'failed', last_error = 'x', last_error_code = $2 where id = $1`, [up.body.id, code]);
    for (const [code, words] of [
      ['not_a_spreadsheet', /^Retrying would read the same file and fail again\. Fix the file .* and upload it again\.$/],
      ['unrecognized_layout', /^Retrying would read the same file and fail again: Ledgerport does not know its layout\. Map its columns/],
      ['no_claims', /^Retrying would fail again on the same empty report\./],
    ] as const) {
      await failAs(code);
      const r = await admin.post(`/imports/${up.body.id}/retry`);
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'not_retryable', message: expect.stringMatching(words) });
    }
    expect((await admin.get(`/imports/${up.body.id}`)).body.status).toBe('failed');
  });

  it('refuses to retry an import that did not fail, or cancel one that finished', async () => {
    const retry = await admin.post(`/imports/${importId}/retry`);
    expect(retry.status).toBe(409);
    expect(retry.body.error.message).toBe('Only a failed import can be retried; this one is completed.');
    const cancel = await admin.post(`/imports/${importId}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe('not_cancellable');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const r = await staff.get('/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});
