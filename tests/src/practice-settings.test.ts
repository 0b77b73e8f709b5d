// An administrator sets how the practice works: its time zone (its "today"), the default import mode
// per kind, the review threshold for closing claims, and retention; the patient quota is the
// operator's, shown with the current count.
import { client, waitForImport } from './support/http.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack();
  staff = client(stack.url, stack.staff);
});
afterAll(() => stack.close());

const patch = (token: string, body: unknown) =>
  fetch(`${stack.url}/practice/settings`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

it('shows the settings to everyone, with the quota and the current patient count', async () => {
  const r = await staff.get('/practice/settings');
  expect(r.body).toEqual({
    timeZone: 'UTC',
    defaultModes: {},
    massResolvePercent: 20,
    massResolveMinClaims: 50,
    retentionDays: 30,
    approvalThresholdCents: 50_000,
    maxManualAmountCents: 1_000_000,
    patientQuota: 1000,
    patients: 0,
  });
});

it('lets only an administrator change them, and refuses values that make no sense', async () => {
  expect((await patch(stack.staff, { retentionDays: 60 })).status).toBe(403);
  const bad = await patch(stack.admin, { timeZone: 'Mars/Olympus', massResolvePercent: 120 });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toMatch(/timeZone must be a time zone name.*massResolvePercent is 0 to 100/);
  expect((await patch(stack.admin, { patientQuota: 1_000_000 })).status).toBe(400);
  const ok = await patch(stack.admin, { timeZone: 'Pacific/Kiritimati', defaultModes: { aging: 'preview' }, retentionDays: 90 });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({ timeZone: 'Pacific/Kiritimati', defaultModes: { aging: 'preview' }, retentionDays: 90 });
});

it('sets the money limits, which then decide who may enter a credit; a threshold above the maximum is refused', async () => {
  expect((await patch(stack.staff, { approvalThresholdCents: 100 })).status).toBe(403);
  const upside = await patch(stack.admin, { approvalThresholdCents: 2_000_000 });
  expect(upside.status).toBe(400);
  expect(upside.body.error.message).toBe('The approval threshold ($20,000.00) cannot be above the largest amount allowed ($10,000.00).');
  expect((await patch(stack.admin, { maxManualAmountCents: 12.5 })).body.error.message).toBe('maxManualAmountCents is a whole number of cents.');
  const ok = await patch(stack.admin, { approvalThresholdCents: 10_000, maxManualAmountCents: 200_000 });
  expect(ok.body).toMatchObject({ approvalThresholdCents: 10_000, maxManualAmountCents: 200_000 });

  const { rows } = await stack.db.handle.pool.query<{ id: string }>(
    `insert into patients (practice_id, external_account, first_name, last_name) values ($1, 'LIM-1', 'Lim', 'Its') returning id`,
    [stack.seed.practice.id],
  );
  const credit = (token: string, amountCents: number) =>
    fetch(`${stack.url}/patients/${rows[0]!.id}/credits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amountCents }),
    }).then((r) => r.status);
  expect(await credit(stack.staff, 10_001)).toBe(403);
  expect(await credit(stack.staff, 10_000)).toBe(201);
  expect(await credit(stack.admin, 200_001)).toBe(400);
  // The audit line is written once the answer is sent, without the request waiting for it.
  let changed: string[] = [];
  await waitUntil('the settings change in the audit log', async () => {
    const { rows: a } = await stack.db.handle.pool.query(
      `select detail from audit_log where practice_id = $1 and action = 'practice.settings.update' and status = 200 order by id desc limit 1`,
      [stack.seed.practice.id],
    );
    changed = a[0]?.detail?.changed ?? [];
    return changed.includes('maxManualAmountCents');
  });
  expect(changed.sort()).toEqual(['approvalThresholdCents', 'maxManualAmountCents']);
});

it("imports an aging file the practice's default way, dated by the practice's own today", async () => {
  const up = await staff.upload('Claim Number,Patient Name,Payer,Date of Service,Balance\nT-1,"Doe, Jo",Aetna,09/02/2026,5.00\n', {
    kind: 'aging',
    locationId: stack.seed.locations[0]!.id,
  });
  const imp = await waitForImport(stack.url, stack.staff, up.body.id);
  // Kiritimati is UTC+14: its today is tomorrow's UTC date for most of the UTC day.
  const kiritimati = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
  expect(imp).toMatchObject({ status: 'ready', mode: 'preview', reportDate: kiritimati });
});
