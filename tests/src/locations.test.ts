// Administrators run their practice's locations: add, rename, give the names a location goes by in PM
// exports (checked against every file uploaded for it), set its PM system, archive it.
import { client, sample, waitForImport } from './support/http.js';
import { seedDemo } from '@ledgerport/db';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack();
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
});
afterAll(() => stack.close());

const patch = (as: ReturnType<typeof client>, id: string, body: unknown) =>
  fetch(`${stack.url}/locations/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${as === admin ? stack.admin : stack.staff}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

it('an administrator adds a location with its other names and PM system; staff may not', async () => {
  expect((await staff.post('/locations', { name: 'Eastside' })).status).toBe(403);
  const made = await admin.post('/locations', { name: 'Eastside', aliases: ['EAST', 'Eastside Eye Center'], pmSystem: 'revolutionehr' });
  expect(made.status).toBe(201);
  expect(made.body).toMatchObject({ name: 'Eastside', aliases: ['EAST', 'Eastside Eye Center'], pmSystem: 'revolutionehr', archivedAt: null });
  expect((await staff.get('/locations')).body.items.map((l: any) => l.name)).toEqual(['Eastside', 'Main Street', 'Riverside']);
  expect((await admin.post('/locations', { name: 'x', pmSystem: 'quickbooks' })).status).toBe(400);
});

it('refuses a name another location already goes by', async () => {
  const taken = await admin.post('/locations', { name: 'Westside', aliases: ['main street'] });
  expect(taken.status).toBe(409);
  expect(taken.body.error.message).toMatch(/Main Street already goes by one of these names/);
});

it("an alias lets in a file that names the location by it; the location's PM system is its files' layout", async () => {
  const eastside = (await staff.get('/locations')).body.items.find((l: any) => l.name === 'Eastside');
  const refused = await staff.upload(await sample('aging-revolutionehr.csv'), { kind: 'aging', locationId: eastside.id }, 'aging-revolutionehr.csv');
  const failed = await waitForImport(stack.url, stack.staff, refused.body.id);
  expect(failed).toMatchObject({ status: 'failed', error: { code: 'wrong_location' } });
  const renamed = await patch(admin, eastside.id, { aliases: ['EAST', 'Main Street'] });
  expect(renamed.status).toBe(409); // Main Street is another location's name
  const riverside = stack.seed.locations.find((l) => l.name === 'Riverside')!;
  const [other] = (await seedDemo(stack.db.handle.db, { practiceName: 'Other Practice' })).locations;
  expect((await patch(admin, other!.id, { name: 'Mine now' })).status).toBe(404);
  expect((await patch(admin, riverside.id, { aliases: ['Main Street'] })).status).toBe(409);
  // Renaming Main Street frees its name for Eastside.
  const main = stack.seed.locations.find((l) => l.name === 'Main Street')!;
  expect((await patch(admin, main.id, { name: 'Main St. (old)' })).status).toBe(200);
  expect((await patch(admin, eastside.id, { aliases: ['EAST', 'Main Street'] })).status).toBe(200);
  const ok = await staff.upload(await sample('aging-revolutionehr.csv'), { kind: 'aging', locationId: eastside.id }, 'aging-revolutionehr.csv');
  const done = await waitForImport(stack.url, stack.staff, ok.body.id);
  expect(done).toMatchObject({ status: 'completed', format: 'revolutionehr', summary: { claimsNew: 24 } });
});

it('an archived location takes no uploads and leaves the list, until restored', async () => {
  const riverside = stack.seed.locations.find((l) => l.name === 'Riverside')!;
  expect((await patch(staff, riverside.id, { archived: true })).status).toBe(403);
  const archived = await patch(admin, riverside.id, { archived: true });
  expect(archived.status).toBe(200);
  expect(archived.body.archivedAt).not.toBeNull();
  expect((await staff.get('/locations')).body.items.map((l: any) => l.name)).not.toContain('Riverside');
  expect((await staff.get('/locations?archived=1')).body.items.map((l: any) => l.name)).toContain('Riverside');
  const up = await staff.upload(await sample('aging-generic.csv'), { kind: 'aging', locationId: riverside.id }, 'aging-generic.csv');
  expect(up.status).toBe(400);
  expect(up.body.error).toMatchObject({ code: 'location_archived' });
  expect((await patch(admin, riverside.id, { archived: false })).status).toBe(200);
  expect((await staff.get('/locations')).body.items.map((l: any) => l.name)).toContain('Riverside');
});
