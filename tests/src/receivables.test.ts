// Once files are imported there is something to look at: a location's claims with filters, totals by
// aging bucket and payer, an export, each claim's history, and the payer list. Tenant-isolated.
import { seedDemo } from '@ledgerport/db';
import { client, waitForImport } from './support/http.js';
import { AGING_HEADER, generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
let other: ReturnType<typeof client>;
let loc: string;
beforeAll(async () => {
  stack = await startTestStack();
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
  const seeded = await seedDemo(stack.db.handle.db, { practiceName: 'Another Practice' });
  other = client(stack.url, seeded.users.find((u) => u.role === 'admin')!.token);
  loc = stack.seed.locations[0]!.id;
  for (const [csv, name] of [
    [generateAgingCsv({ rows: 40 }), 'monday.csv'],
    [generateAgingCsv({ rows: 40, changeEvery: 4, dropEvery: 10 }), 'tuesday.csv'],
  ] as const) {
    const up = await staff.upload(csv, { kind: 'aging', locationId: loc }, name);
    expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('completed');
  }
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;

it("lists a location's open claims with their count and balance, and narrows them by payer, bucket, date and search", async () => {
  const all = await staff.get(`/locations/${loc}/claims?pageSize=500`);
  expect(all.status).toBe(200);
  const [db] = await q(`select count(*)::int n, sum(balance_cents)::bigint s from claims where location_id = $1 and resolved_at is null`, [loc]);
  expect(all.body).toMatchObject({ total: db.n, balanceCents: Number(db.s) });
  expect(all.body.items).toHaveLength(36);
  const resolved = await staff.get(`/locations/${loc}/claims?status=resolved`);
  expect(resolved.body.total).toBe(4);
  const aetna = all.body.items.find((c: any) => c.payer === 'Aetna');
  const byPayer = await staff.get(`/locations/${loc}/claims?payerId=${aetna.payerId}&pageSize=500`);
  expect(byPayer.body.items.every((c: any) => c.payer === 'Aetna')).toBe(true);
  const search = await staff.get(`/locations/${loc}/claims?search=Patient12,`);
  expect(search.body.items.map((c: any) => c.claimNumber)).toEqual(['C-00000012']);
  const dated = await staff.get(`/locations/${loc}/claims?from=2026-05-01&to=2026-05-31&pageSize=500`);
  expect(dated.body.items.every((c: any) => c.dateOfService.startsWith('2026-05'))).toBe(true);
  expect((await staff.get(`/locations/${loc}/claims?bucket=45`)).status).toBe(400);
});

it('totals open claims by aging bucket and by payer, adding up to the whole', async () => {
  const t = (await staff.get(`/locations/${loc}/claims/totals`)).body;
  expect(t.byBucket.reduce((s: number, b: any) => s + Number(b.balanceCents), 0)).toBe(t.balanceCents);
  expect(t.byPayer.reduce((s: number, b: any) => s + b.claims, 0)).toBe(t.claims);
  expect(t.claims).toBe(36);
});

it('exports the filtered claims as formula-safe CSV', async () => {
  const r = await staff.get(`/locations/${loc}/claims.csv?status=all`);
  expect(r.headers.get('content-type')).toMatch(/text\/csv/);
  const lines = r.text.replace(/^\ufeff/, '').trim().split('\r\n');
  expect(lines[0]).toBe('Claim Number,Patient Name,Patient Account,Payer,Date of Service,Billed,Balance,Aging,Resolved');
  expect(lines).toHaveLength(41);
});

it('neutralises a cell a spreadsheet would run as a formula, and keeps negative amounts numbers', async () => {
  const second = stack.seed.locations[1]!.id;
  const csv = [
    'Claim Number,Patient Name,Payer,Date of Service,Balance',
    'F-1,"=HYPERLINK(""http://x"",""y"")",Aetna,01/02/2026,10.00',
    'F-2,"Plain, Name",Aetna,01/03/2026,-12.00',
  ].join('\n');
  const up = await staff.upload(csv, { kind: 'aging', locationId: second }, 'formula.csv');
  expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('completed');
  const lines = (await staff.get(`/locations/${second}/claims.csv`)).text.replace(/^\ufeff/, '').trim().split('\r\n');
  expect(lines.find((l) => l.startsWith('F-1,'))).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
  expect(lines.find((l) => l.startsWith('F-2,'))).toContain(',-$12.00,');
});

it("shows a claim's history: created by one import, changed by the next, with before and after", async () => {
  const [c] = await q(`select id from claims where location_id = $1 and claim_key = 'C-00000004'`, [loc]);
  const r = await staff.get(`/claims/${c.id}`);
  expect(r.status).toBe(200);
  expect(r.body.history.map((h: any) => [h.event, h.fileName])).toEqual([
    ['created', 'monday.csv'],
    ['changed', 'tuesday.csv'],
  ]);
  const change = r.body.history[1];
  expect(change.after.balanceCents - change.before.balanceCents).toBe(100);
  const [gone] = await q(`select id from claims where location_id = $1 and claim_key = 'C-00000010'`, [loc]);
  expect((await staff.get(`/claims/${gone.id}`)).body.history.map((h: any) => h.event)).toEqual(['created', 'resolved']);
});

it('lists payers with their open balances; an admin sets a status and merges two payers that are one', async () => {
  const payers = (await staff.get('/payers')).body.items;
  const aetna = payers.find((p: any) => p.name === 'Aetna');
  const cigna = payers.find((p: any) => p.name === 'Cigna');
  expect(aetna).toMatchObject({ status: 'Active', kind: 'insurance', openClaims: expect.any(Number) });
  const patch = (body: unknown, token = stack.admin) =>
    fetch(`${stack.url}/payers/${aetna.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await patch({ status: 'Inactive' }, stack.staff)).status).toBe(403);
  expect((await staff.post(`/payers/${cigna.id}/merge`, { into: aetna.id })).status).toBe(403);
  expect((await patch({ status: 'Inactive' })).status).toBe(200);
  expect((await staff.get('/payers')).body.items.find((p: any) => p.id === aetna.id).status).toBe('Inactive');

  const merged = await admin.post(`/payers/${cigna.id}/merge`, { into: aetna.id });
  expect(merged.status).toBe(200);
  expect(merged.body.claimsMoved).toBe(cigna.claims);
  const after = (await staff.get('/payers')).body.items;
  expect(after.find((p: any) => p.id === cigna.id)).toBeUndefined();
  expect(after.find((p: any) => p.id === aetna.id).claims).toBe(aetna.claims + cigna.claims);
  // Wednesday's file still says Cigna: its claims go to Aetna, and no Cigna payer comes back.
  const up = await staff.upload(generateAgingCsv({ rows: 40, changeEvery: 4, dropEvery: 10 }) + '\n', { kind: 'aging', locationId: loc }, 'wednesday.csv');
  const wed = await waitForImport(stack.url, stack.staff, up.body.id);
  expect(wed).toMatchObject({ status: 'completed', summary: { claimsNew: 0, payersCreated: 0 } });
  expect((await staff.get('/payers')).body.items.map((p: any) => p.name)).not.toContain('Cigna');
});

it('applies a file staged before its payer was merged to the payer it was merged into, every row, without making the old payer again', async () => {
  const loc2 = stack.seed.locations[1]!.id;
  const row = (n: number, payer: string) => `M-${n},A${n},"Merge${n}, Pat",01/02/1960,${payer},03/04/2026,20.00,${n}.25`;
  const file = (rows: string[]) => [AGING_HEADER, ...rows].join('\n') + '\n';
  const first = await staff.upload(file([row(1, 'VSP North'), row(2, 'VSP North'), row(3, 'VSP')]), { kind: 'aging', locationId: loc2 }, 'first.csv');
  expect((await waitForImport(stack.url, stack.staff, first.body.id)).status).toBe('completed');
  // Read while "VSP North" is still a payer of its own, saved after it was merged into VSP.
  const preview = await staff.upload(
    file([row(1, 'VSP North'), row(2, 'VSP North'), row(3, 'VSP'), row(4, 'VSP North')]),
    { kind: 'aging', locationId: loc2, mode: 'preview' },
    'second.csv',
  );
  expect((await waitForImport(stack.url, stack.staff, preview.body.id, ['ready'])).status).toBe('ready');
  const payers = (await staff.get('/payers')).body.items;
  const north = payers.find((p: any) => p.name === 'VSP North');
  const vsp = payers.find((p: any) => p.name === 'VSP');
  expect((await admin.post(`/payers/${north.id}/merge`, { into: vsp.id })).status).toBe(200);
  expect((await admin.post(`/imports/${preview.body.id}/commit`)).status).toBe(202);
  const done = await waitForImport(stack.url, stack.staff, preview.body.id);
  expect(done).toMatchObject({ status: 'completed', summary: { claimsNew: 1, payersCreated: 0 } });
  expect((await staff.get('/payers')).body.items.map((p: any) => p.name)).not.toContain('VSP North');
  const claims = await q(
    `select c.claim_key, c.balance_cents, c.payer_id from claims c where c.location_id = $1 and c.claim_key like 'M-%' order by c.claim_key`,
    [loc2],
  );
  expect(claims).toEqual(
    [1, 2, 3, 4].map((n) => ({ claim_key: `M-${n}`, balance_cents: n * 100 + 25, payer_id: vsp.id })),
  );
});

it("keeps practices apart: another practice's location, claim and payer are not there", async () => {
  const [c] = await q(`select id from claims where location_id = $1 limit 1`, [loc]);
  const payer = (await staff.get('/payers')).body.items[0];
  expect((await other.get(`/locations/${loc}/claims`)).status).toBe(404);
  expect((await other.get(`/locations/${loc}/claims.csv`)).status).toBe(404);
  expect((await other.get(`/claims/${c.id}`)).status).toBe(404);
  expect((await other.post(`/payers/${payer.id}/merge`, { into: payer.id + 1 })).status).toBe(404);
  expect((await other.get('/payers')).body.items).toEqual([]);
});

it('lists imports filtered by location, kind, status, date and uploader', async () => {
  const staffId = stack.seed.users.find((u) => u.role === 'staff')!.id;
  const today = new Date().toISOString().slice(0, 10);
  const mine = await staff.get(`/imports?kind=aging&locationId=${loc}&status=completed&createdBy=${staffId}&from=${today}&to=${today}`);
  expect(mine.status).toBe(200);
  expect(mine.body.items.map((i: any) => i.fileName).sort()).toEqual(['monday.csv', 'tuesday.csv', 'wednesday.csv']);
  expect((await staff.get(`/imports?kind=patients`)).body.total).toBe(0);
  expect((await staff.get(`/imports?to=2000-01-01`)).body.total).toBe(0);
  expect((await staff.get(`/imports?kind=payroll`)).status).toBe(400);
  expect((await staff.get(`/imports?locationId=nope`)).status).toBe(400);
});

it('shows a claim resolved, reopened by a later file and resolved again: every event, by which import, with before and after', async () => {
  for (const [csv, name] of [
    [generateAgingCsv({ rows: 40, changeEvery: 4 }), 'thursday.csv'],
    [generateAgingCsv({ rows: 40, changeEvery: 4, dropEvery: 10 }) + '\n\n', 'friday.csv'],
  ] as const) {
    const up = await staff.upload(csv, { kind: 'aging', locationId: loc }, name);
    expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('completed');
  }
  const [c] = await q(`select id, balance_cents from claims where location_id = $1 and claim_key = 'C-00000020'`, [loc]);
  const r = await staff.get(`/claims/${c.id}`);
  expect(r.body.claim).toMatchObject({ claimNumber: 'C-00000020', location: stack.seed.locations[0]!.name, resolvedAt: expect.any(String) });
  expect(r.body.history.map((h: any) => [h.event, h.fileName])).toEqual([
    ['created', 'monday.csv'],
    ['resolved', 'tuesday.csv'],
    ['reopened', 'thursday.csv'],
    ['resolved', 'friday.csv'],
  ]);
  const [created, resolved, reopened, again] = r.body.history;
  expect(created.before).toBeNull();
  expect(resolved).toMatchObject({ before: { resolvedAt: null, balanceCents: created.after.balanceCents }, after: { resolvedAt: expect.any(String) } });
  // Tuesday left C-00000020 out; Thursday listed it again, $1.00 more (every fourth claim changes).
  expect(reopened).toMatchObject({ before: { resolvedAt: expect.any(String), balanceCents: created.after.balanceCents }, after: { resolvedAt: null } });
  expect(reopened.after.balanceCents - reopened.before.balanceCents).toBe(100);
  expect(reopened.after.balanceCents).toBe(c.balance_cents);
  expect(again.after).toMatchObject({ balanceCents: c.balance_cents, resolvedAt: r.body.claim.resolvedAt });
});

it("shows a patient's page: claims, every credit, the credits applied and refunds, with their totals", async () => {
  const { insertPatientFixture } = await import('./support/fixtures.js');
  const adminId = stack.seed.users.find((u) => u.role === 'admin')!.id;
  const fx = await insertPatientFixture(stack.db.handle.pool, stack.seed.practice.id, adminId, {
    owedCents: 12_345,
    overpaidCents: 2_000,
    creditCents: 5_000,
  });
  expect((await staff.post(`/claims/${fx.owedClaimId}/payments`, { method: 'patient_credit', creditId: fx.creditId, amountCents: 5_000 })).status).toBe(201);
  expect((await staff.post(`/claims/${fx.creditClaimId}/refunds`, { asCredit: true, amountCents: 1_500 })).status).toBe(201);
  const r = await staff.get(`/patients/${fx.patientId}`);
  expect(r.status).toBe(200);
  expect(r.body.patient).toMatchObject({ id: fx.patientId, firstName: 'Fixture' });
  // owed 123.45 - 50.00 applied; overpaid -20.00 + 15.00 refunded
  expect(r.body.claims.map((c: any) => c.balanceCents).sort((a: number, b: number) => a - b)).toEqual([-500, 7_345]);
  expect(r.body.openBalanceCents).toBe(6_845);
  // the used credit (0 left) and the refund kept as a credit (15.00)
  expect(r.body.credits.map((c: any) => [c.source, c.amountCents, c.remainingCents])).toEqual([
    ['manual', 5_000, 0],
    ['refund', 1_500, 1_500],
  ]);
  expect(r.body.creditAvailableCents).toBe(1_500);
  expect(r.body.payments.map((p: any) => [p.kind, p.amountCents, p.claimId]).sort()).toEqual(
    [
      ['applied_credit', 5_000, fx.owedClaimId],
      ['refund', 1_500, fx.creditClaimId],
    ].sort(),
  );
  expect(r.body.appliedCents).toBe(5_000);
  expect((await other.get(`/patients/${fx.patientId}`)).status).toBe(404);
});
