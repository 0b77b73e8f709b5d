import { seedDemo, type SeedResult } from '@ledgerport/db';
import { insertPatientFixture, type PatientFixture } from '../support/fixtures.js';
import { client } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// Every read of patient data and every change is in the practice's audit log: who, when, which
// resource, the outcome; never a cell value, a patient's name or a file's name. Admins page through
// their own practice's log; staff cannot, and no practice sees another's.
const MARKER_NAME = 'Zebulon-Quux-7731';
const MARKER_FILE = `${MARKER_NAME}-aging.csv`;

let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
let other: SeedResult;
let otherAdmin: ReturnType<typeof client>;
let fx: PatientFixture;
let importId: string;

const staffId = () => stack.seed.users.find((u) => u.role === 'staff')!.id;
const adminId = () => stack.seed.users.find((u) => u.role === 'admin')!.id;

const send = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(stack.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
};

/** The log as an admin pages through it, once it holds at least `count` lines (they are written just after each answer). */
async function auditLog(who: ReturnType<typeof client>, query: string, count: number): Promise<any> {
  for (const deadline = Date.now() + 10_000; ;) {
    const r = await who.get(`/audit?pageSize=500&${query}`);
    expect(r.status).toBe(200);
    // Both the page and the total: a line written between the route's two queries is counted in one only.
    if (r.body.total >= count && r.body.items.length >= Math.min(count, 500)) return r.body;
    if (Date.now() > deadline) throw new Error(`the audit log has ${r.body.total} lines for ${query}, not ${count}`);
  }
}

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
  other = await seedDemo(stack.db.handle.db, { practiceName: 'Other Optometry' });
  otherAdmin = client(stack.url, other.users.find((u) => u.role === 'admin')!.token);
  fx = await insertPatientFixture(stack.db.handle.pool, stack.seed.practice.id, adminId(), {
    owedCents: 10_000,
    overpaidCents: 10_000,
    creditCents: 10_000,
  });
  const csv = `Claim Number,Patient Name,Payer,Date of Service,Balance\nA-1,"${MARKER_NAME}, Pat",Aetna,01/02/2026,12.00\n`;
  const up = await staff.upload(
    csv,
    { kind: 'aging', locationId: stack.seed.locations[0]!.id, mode: 'preview' },
    MARKER_FILE,
  );
  expect(up.status).toBe(202);
  importId = up.body.id;
});
afterAll(() => stack.close());

describe('what is recorded', () => {
  it('records reads of patient data and every change, with who, which resource and the outcome', async () => {
    const t = await staff.post('/tokens', { label: 'audit test' });
    const calls: Array<[string, string, string, string, string | null, number, unknown?]> = [
      // [who, method, path, action, resource id, status, body]
      ['staff', 'GET', '/patients?search=Fixture', 'patients.list', null, 200],
      ['staff', 'GET', `/patients/${fx.patientId}/claims`, 'patient.claims.read', fx.patientId, 200],
      ['staff', 'GET', `/patients/${fx.patientId}/credits`, 'patient.credits.read', fx.patientId, 200],
      [
        'staff',
        'POST',
        `/patients/${fx.patientId}/credits`,
        'patient.credit.create',
        fx.patientId,
        201,
        { amountCents: 500 },
      ],
      [
        'staff',
        'POST',
        `/claims/${fx.owedClaimId}/payments`,
        'claim.payment.create',
        String(fx.owedClaimId),
        201,
        { method: 'patient_credit', creditId: fx.creditId, amountCents: 100 },
      ],
      [
        'staff',
        'POST',
        `/claims/${fx.creditClaimId}/refunds`,
        'claim.refund.create',
        String(fx.creditClaimId),
        201,
        { amountCents: 100 },
      ],
      [
        'staff',
        'POST',
        `/claims/${fx.creditClaimId}/refunds`,
        'claim.refund.create',
        String(fx.creditClaimId),
        403,
        { amountCents: 60_000 },
      ],
      ['staff', 'GET', '/imports', 'imports.list', null, 200],
      ['staff', 'GET', `/imports/${importId}`, 'import.read', importId, 200],
      ['staff', 'GET', `/imports/${importId}/errors`, 'import.errors.read', importId, 200],
      ['staff', 'GET', `/imports/${importId}/errors?format=csv`, 'import.errors.read', importId, 200],
      ['staff', 'GET', `/imports/${importId}/preview`, 'import.preview.read', importId, 409],
      ['staff', 'GET', `/imports/${importId}/review/claims`, 'import.review.read', importId, 409],
      ['staff', 'GET', `/imports/${importId}/header`, 'import.header.read', importId, 200],
      ['staff', 'POST', `/imports/${importId}/commit`, 'import.commit', importId, 409],
      ['staff', 'POST', `/imports/${importId}/discard`, 'import.discard', importId, 409],
      ['staff', 'POST', `/imports/${importId}/retry`, 'import.retry', importId, 403],
      ['admin', 'POST', `/imports/${importId}/retry`, 'import.retry', importId, 409],
      ['admin', 'POST', `/imports/${importId}/confirm-empty`, 'import.confirm_empty', importId, 409],
      ['admin', 'POST', `/imports/${importId}/revert`, 'import.revert', importId, 409],
      ['admin', 'POST', `/imports/${importId}/cancel`, 'import.cancel', importId, 202],
      ['admin', 'GET', `/users/${staffId()}/tokens`, 'user.tokens.list', staffId(), 200],
      ['admin', 'DELETE', `/users/${staffId()}/tokens/${t.body.id}`, 'token.revoke', t.body.id, 200],
      ['admin', 'PATCH', `/users/${staffId()}`, 'user.update', staffId(), 200, { active: true }],
      ['staff', 'GET', '/patients/------------------------------------/claims', 'patient.claims.read', null, 404],
    ];
    for (const [who, method, path, , , status, body] of calls) {
      const r = await send(who === 'staff' ? stack.staff : stack.admin, method, path, body);
      expect({ path, status: r.status }).toEqual({ path, status });
    }
    // Every line of the calls above, the upload and the token's creation (the log's own reads aside).
    const actions = [...new Set(['import.upload', 'token.create', ...calls.map((c) => c[3])])];
    const log = await auditLog(admin, `action=${actions.join(',')}`, calls.length + 2);
    const lines = [...log.items].reverse();
    const upload = lines.find((l: any) => l.action === 'import.upload');
    expect(upload).toMatchObject({
      user: { id: staffId(), name: 'Sam Staff' },
      resource: { type: 'import', id: importId },
      status: 202,
      ip: expect.any(String),
      detail: { kind: 'aging', sizeBytes: expect.any(Number) },
    });
    const created = lines.find((l: any) => l.action === 'token.create');
    expect(created).toMatchObject({
      resource: { type: 'api_token', id: t.body.id },
      status: 201,
      detail: { expiresInDays: 90 },
    });
    for (const [who, , path, action, resourceId, status] of calls) {
      const line = lines.find((l: any) => l.action === action && l.status === status && l.resource.id === resourceId);
      expect({ path, line }).toEqual({
        path,
        line: expect.objectContaining({
          user: expect.objectContaining({ id: who === 'staff' ? staffId() : adminId() }),
          at: expect.any(String),
        }),
      });
    }
    expect(lines.find((l: any) => l.action === 'patients.list').detail).toEqual({ page: 1, search: true, count: 1 });
    expect(lines.find((l: any) => l.action === 'patient.credit.create').detail).toEqual({
      amountCents: 500,
      creditId: expect.any(String),
    });
    expect(lines.find((l: any) => l.resource.id === null && l.action === 'patient.claims.read').detail).toEqual({
      malformedId: true,
    });
  });

  it('never holds a patient name, a cell value, a search term or a file name', async () => {
    const log = await auditLog(admin, '', 1);
    const text = JSON.stringify(log);
    for (const secret of [MARKER_NAME, MARKER_FILE, 'Fixture', 'Patient', 'Aetna', '12.00'])
      expect(text).not.toContain(secret);
    const { rows } = await stack.db.handle.pool.query('select * from audit_log');
    expect(JSON.stringify(rows)).not.toContain(MARKER_NAME);
  });
});

describe('who reads the log', () => {
  it('pages and filters by action, user and time', async () => {
    // The staff member's lines: no more are written while this test reads them (an admin's reads of the log are).
    const all = await auditLog(admin, `userId=${staffId()}`, 20);
    const page2 = await admin.get(`/audit?userId=${staffId()}&page=2&pageSize=3`);
    expect(page2.body.items.map((l: any) => l.id)).toEqual(all.items.slice(3, 6).map((l: any) => l.id));
    expect(page2.body).toMatchObject({ page: 2, pageSize: 3, total: all.total });
    const reads = await admin.get('/audit?action=patient.claims.read,patient.credits.read');
    expect(new Set(reads.body.items.map((l: any) => l.action))).toEqual(
      new Set(['patient.claims.read', 'patient.credits.read']),
    );
    const byAdmin = await admin.get(`/audit?userId=${adminId()}&pageSize=500`);
    expect(byAdmin.body.items.length).toBeGreaterThan(0);
    expect(byAdmin.body.items.every((l: any) => l.user.id === adminId())).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    expect((await admin.get(`/audit?from=${today}&to=${today}`)).body.total).toBeGreaterThan(0);
    expect((await admin.get('/audit?to=2000-01-01')).body.total).toBe(0);
    expect(
      (await admin.get(`/audit?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`)).body.total,
    ).toBe(0);
    for (const bad of ['userId=not-a-user', 'from=yesterday', 'action=DROP%20TABLE', 'to=2026-13-45']) {
      const r = await admin.get(`/audit?${bad}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('bad_filter');
    }
  });

  it('is for admins: staff get 403', async () => {
    const r = await staff.get('/audit');
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe('Only a practice administrator can do that.');
  });

  it("shows no practice another's lines, and records the other practice's probes in its own log", async () => {
    const probe = await otherAdmin.get(`/patients/${fx.patientId}/claims`);
    expect(probe.status).toBe(404);
    const theirs = await auditLog(otherAdmin, 'action=patient.claims.read', 1);
    expect(theirs.items).toEqual([
      expect.objectContaining({ resource: { type: 'patient', id: fx.patientId }, status: 404 }),
    ]);
    const all = await auditLog(otherAdmin, '', 1);
    const ourUsers = new Set(stack.seed.users.map((u) => u.id));
    expect(all.items.some((l: any) => ourUsers.has(l.user.id))).toBe(false);
    expect((await otherAdmin.get(`/audit?userId=${staffId()}`)).body.total).toBe(0);
    const ours = await auditLog(admin, `userId=${other.users.find((u) => u.role === 'admin')!.id}`, 0);
    expect(ours.total).toBe(0);
  });
});
