import { client } from '../support/http.js';
import { insertPatientFixture, type PatientFixture } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// Money entered by hand (credits, payments, refunds): never above the practice's maximum, and above
// its approval threshold only by an administrator. Defaults: $10,000.00 and $500.00.
let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
let fx: PatientFixture;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
  const adminUser = stack.seed.users.find((u) => u.role === 'admin')!;
  fx = await insertPatientFixture(stack.db.handle.pool, stack.seed.practice.id, adminUser.id, {
    owedCents: 5_000_000,
    overpaidCents: 5_000_000,
    creditCents: 5_000_000,
  });
});
afterAll(() => stack.close());

const credit = (who: typeof staff, body: object) => who.post(`/patients/${fx.patientId}/credits`, body);
const payment = (who: typeof staff, amountCents: number) =>
  who.post(`/claims/${fx.owedClaimId}/payments`, { method: 'patient_credit', creditId: fx.creditId, amountCents });
const refund = (who: typeof staff, amountCents: number) =>
  who.post(`/claims/${fx.creditClaimId}/refunds`, { amountCents });

describe('the maximum', () => {
  it('refuses 9,007,199,254,740,991 cents with a 400 in staff words, whoever asks', async () => {
    for (const who of [staff, admin]) {
      const r = await credit(who, { amountCents: 9_007_199_254_740_991 });
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({
        code: 'amount_too_large',
        message: expect.stringContaining('$90,071,992,547,409.91 is more than the $10,000.00 a single credit may be'),
      });
    }
  });

  it('refuses amounts past what a number can hold exactly, and written-out ones too large to be money', async () => {
    expect((await credit(admin, { amountCents: 9_007_199_254_740_993 })).body.error.code).toBe('bad_amount');
    expect((await credit(admin, { amountCents: 1e300 })).body.error.code).toBe('bad_amount');
    const written = await credit(admin, { amount: '90071992547409.91' });
    expect(written.status).toBe(400);
    expect(written.body.error.message).toMatch(/too large an amount/);
  });

  it('takes exactly the maximum from an admin and refuses a cent more, for credits, payments and refunds', async () => {
    expect((await credit(admin, { amount: '10,000.00' })).status).toBe(201);
    expect((await credit(admin, { amount: '10000.01' })).body.error.code).toBe('amount_too_large');
    expect((await payment(admin, 1_000_001)).body.error).toEqual({
      code: 'amount_too_large',
      message: expect.stringContaining('a single payment may be'),
    });
    expect((await refund(admin, 1_000_001)).body.error).toEqual({
      code: 'amount_too_large',
      message: expect.stringContaining('a single refund may be'),
    });
  });
});

describe('the approval threshold', () => {
  it('lets staff enter up to $500.00 and sends them to an admin above it', async () => {
    expect((await credit(staff, { amountCents: 50_000 })).status).toBe(201);
    for (const [what, r] of [
      ['credit', await credit(staff, { amountCents: 50_001 })],
      ['payment', await payment(staff, 50_001)],
      ['refund', await refund(staff, 50_001)],
    ] as const) {
      expect(r.status).toBe(403);
      expect(r.body.error).toEqual({
        code: 'forbidden',
        message: `A ${what} over $500.00 needs a practice administrator: ask one to enter this $500.01 ${what}.`,
      });
    }
  });

  it('lets an admin enter more than the threshold', async () => {
    expect((await credit(admin, { amountCents: 50_001 })).status).toBe(201);
    const pay = await payment(admin, 60_000);
    expect(pay.status).toBe(201);
    expect(pay.body).toMatchObject({ amountCents: 60_000, claimBalanceCents: 5_000_000 - 60_000 });
    const back = await refund(admin, 60_000);
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ amountCents: 60_000, claimBalanceCents: -5_000_000 + 60_000 });
  });

  it("follows the practice's own settings", async () => {
    const pool = stack.db.handle.pool;
    await pool.query(
      'update practices set approval_threshold_cents = 100, max_manual_amount_cents = 200 where id = $1',
      [stack.seed.practice.id],
    );
    try {
      expect((await credit(staff, { amountCents: 100 })).status).toBe(201);
      expect((await credit(staff, { amountCents: 101 })).status).toBe(403);
      expect((await credit(admin, { amountCents: 200 })).status).toBe(201);
      expect((await credit(admin, { amountCents: 201 })).body.error.message).toContain('more than the $2.00');
    } finally {
      await pool.query('update practices set approval_threshold_cents = default, max_manual_amount_cents = default');
    }
  });

  it('leaves the accounts as they were after every refusal', async () => {
    const { rows } = await stack.db.handle.pool.query<{ n: number }>(
      "select count(*)::int n from patient_credits where patient_id = $1 and source = 'manual'",
      [fx.patientId],
    );
    // the fixture's credit, $10,000.00, $500.00, $500.01, $1.00 and $2.00
    expect(rows[0]!.n).toBe(6);
  });
});
