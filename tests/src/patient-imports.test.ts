import { parseMoney } from '@ledgerport/core';
import { expireStagedImports } from '@ledgerport/db';
import { client, sample, waitForImport } from './support/http.js';
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

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
const n = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].n);

/** Upload → (preview) → Save, the way staff do it. */
async function uploadAndSave(content: string | Buffer, kind: string, fields: Record<string, string> = {}, name = `${kind}.csv`) {
  const up = await staff.upload(content, { kind, ...fields }, name);
  expect(up.status).toBe(202);
  const ready = await waitForImport(stack.url, stack.staff, up.body.id);
  expect(ready.status).toBe('ready');
  const preview = await staff.get(`/imports/${up.body.id}/preview`);
  expect(preview.status).toBe(200);
  const save = await staff.post(`/imports/${up.body.id}/commit`);
  expect(save.status).toBe(202);
  const done = await waitForImport(stack.url, stack.staff, up.body.id);
  return { preview: preview.body, done };
}

describe('templates and kinds', () => {
  it('lists every kind with its columns', async () => {
    const r = await staff.get('/imports/kinds');
    expect(r.body.items.map((k: any) => [k.kind, k.defaultMode])).toEqual([
      ['aging', 'commit'],
      ['patients', 'preview'],
      ['patient_balances', 'preview'],
      ['patient_credits', 'preview'],
    ]);
    const balances = r.body.items[2];
    expect(balances.columns[0]).toMatchObject({ name: 'Account Number', type: 'account', required: true });
  });

  it('serves a template per kind with a header and one example row', async () => {
    for (const kind of ['aging', 'patients', 'patient_balances', 'patient_credits']) {
      const r = await staff.get(`/imports/templates/${kind}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-disposition')).toContain(`ledgerport-${kind.replaceAll('_', '-')}-template.csv`);
      expect(r.text.trim().split('\r\n')).toHaveLength(2);
    }
    expect((await staff.get('/imports/templates/payroll')).status).toBe(404);
  });

  it('round-trips every template: download, fill, upload, preview, Save', async () => {
    const fill = async (kind: string, rows: string[]) => {
      const t = (await staff.get(`/imports/templates/${kind}`)).text.split('\r\n')[0];
      return [t, ...rows].join('\r\n');
    };
    const p = await uploadAndSave(await fill('patients', ['T-001,Tess,Template,01/02/1980,F,(555) 010-0000,tess@example.com,1 Main St,Springfield,IL,02134,Y']), 'patients');
    expect(p.preview.counts).toMatchObject({ new: 1, updated: 0, rejected: 0 });
    expect(p.done.status).toBe('completed');
    expect(await q(`select first_name, zip, date_of_birth from patients where external_account = 'T-001'`)).toEqual([
      { first_name: 'Tess', zip: '02134', date_of_birth: '1980-01-02' },
    ]);
    const b = await uploadAndSave(await fill('patient_balances', ['T-001,"Template, Tess",$10.05']), 'patient_balances');
    expect(b.done.summary).toMatchObject({ rowsNew: 1, amountCentsApplied: 1005 });
    const c = await uploadAndSave(await fill('patient_credits', ['T-001,"Template, Tess",2.50,T-REF,from the template']), 'patient_credits');
    expect(c.done.summary).toMatchObject({ rowsNew: 1, amountCentsApplied: 250 });
    const a = await staff.upload(await fill('aging', ['T-9,T-001,"Template, Tess",01/02/1980,Aetna,09/02/2026,20.00,20.00']), {
      kind: 'aging',
      locationId: stack.seed.locations[1]!.id,
    });
    expect((await waitForImport(stack.url, stack.staff, a.body.id)).status).toBe('completed');
  });
});

describe('the sample files', () => {
  it('imports the Cash Practice patient list, skipping inactive patients and keeping ZIP leading zeros', async () => {
    const { preview, done } = await uploadAndSave(await sample('patients-cashpractice.csv'), 'patients');
    expect(preview.counts).toMatchObject({ new: 20, updated: 0, unchanged: 0, rejected: 0, skippedInactive: 4 });
    expect(preview.quota).toEqual({ quota: 1000, current: 1, adding: 20, exceeded: false });
    expect(done.status).toBe('completed');
    expect(done.summary).toMatchObject({ rowsNew: 20, skippedInactive: 4 });
    expect(done.reconciliation).toMatchObject({ rowsInFile: 24, rowsApplied: 20, matches: false });
    expect(done.reconciliation.message).toContain('4 inactive patients were skipped');
    expect(await n(`select count(*) n from patients where zip = '02134' and external_account like '50%'`)).toBeGreaterThan(0);
    expect(await n(`select count(*) n from patients where active = false`)).toBe(0);
  });

  it('makes one Balance Forward claim per patient, dated the import day, credit balances reported as such', async () => {
    const { preview, done } = await uploadAndSave(await sample('patient-balances.csv'), 'patient_balances');
    expect(preview.totals).toEqual({ rows: expect.any(Number), balanceCents: expect.any(Number), creditBalances: expect.any(Number), creditBalanceCents: expect.any(Number) });
    expect(done.status).toBe('completed');
    // 17 rows in the file; the balances of the 4 inactive (skipped) patients have no patient to go to.
    const rejected = done.rowsRejected;
    expect(done.rowsRead).toBe(17);
    const errors = (await staff.get(`/imports/${done.id}/errors`)).body.items;
    expect(errors).toHaveLength(rejected);
    for (const e of errors) expect(e.message).toMatch(/^No patient has account number \d+; import the patient first$/);
    const bf = await q(`select count(*)::int n, sum(balance_cents)::bigint cents, count(*) filter (where balance_cents < 0)::int neg,
      min(date_of_service) d from claims where claim_type = 'BF' and patient_account like '50%'`);
    expect(bf[0].n).toBe(17 - rejected);
    expect(done.summary.amountCentsApplied).toBe(Number(bf[0].cents));
    expect(done.summary.creditBalances).toBe(bf[0].neg);
    expect(bf[0].d).toBe(new Date().toISOString().slice(0, 10));
  });

  it('accounts for every cent of the balances file in expected.json: applied plus rejected', async () => {
    const imp = (await staff.get('/imports?pageSize=100')).body.items.find((i: any) => i.kind === 'patient_balances' && i.fileName === 'patient_balances.csv');
    const rejected = await q('select cells from import_rejected_rows where import_id = $1', [imp.id]);
    const rejectedCents = rejected.map((r: any) => parseMoney(r.cells[2])).reduce((s: number, m: any) => s + (m.ok ? m.value : NaN), 0);
    // In the file is every row's money, applied or not: applied plus not applied adds up to the file.
    expect(imp.summary.amountCentsInFile).toBe(899183);
    expect(imp.summary.amountCentsApplied + rejectedCents).toBe(899183);
    expect(imp.reconciliation).toMatchObject({ amountCentsInFile: 899183, amountCentsNotApplied: rejectedCents, matches: false });
    const negativeRejected = rejected.filter((r: any) => r.cells[2].includes('(')).length;
    expect(imp.summary.creditBalances + negativeRejected).toBe(3);
  });

  it('shows the BF claim in the patient claim history, newest first', async () => {
    const patient = (await staff.get('/patients?search=5001')).body.items[0];
    const history = await staff.get(`/patients/${patient.id}/claims`);
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ type: 'BF', balanceCents: 72338, dateOfService: new Date().toISOString().slice(0, 10) });
  });

  it('makes the imported credits available on the patient account', async () => {
    const { done } = await uploadAndSave(await sample('patient-credits.csv'), 'patient_credits');
    expect(done.summary).toMatchObject({ rowsNew: done.rowsAccepted, amountCentsInFile: 66605 });
    expect(done.summary.amountCentsApplied + done.reconciliation.amountCentsNotApplied).toBe(66605);
    const patient = (await staff.get('/patients?search=5000')).body.items.find((p: any) => p.externalAccount === '5000');
    const credits = await staff.get(`/patients/${patient.id}/credits`);
    expect(credits.body).toMatchObject({ totalCents: 674, items: [{ amountCents: 674, remainingCents: 674, source: 'import', description: 'Credit carried from previous software' }] });
  });
});

describe('applying credits', () => {
  let patientId: string;
  let claimId: number;
  let creditId: string;

  beforeAll(async () => {
    patientId = (await staff.get('/patients?search=5000')).body.items.find((p: any) => p.externalAccount === '5000').id;
    const credit = await staff.post(`/patients/${patientId}/credits`, { amount: '$20.00', description: 'courtesy' });
    expect(credit.status).toBe(201);
    creditId = credit.body.id;
    const [row] = await q(
      `insert into claims (practice_id, claim_key, claim_type, patient_id, patient_name, patient_account, date_of_service, billed_cents, balance_cents, first_seen_import, last_seen_import)
       select practice_id, 'INV-1', 'BF', id, 'Yamamoto, Ivan', '5000', current_date, 1500, 1500,
         (select id from imports limit 1), (select id from imports limit 1) from patients where id = $1 returning id`,
      [patientId],
    );
    claimId = Number(row.id);
  });

  it('refuses to apply more than the claim balance or the credit, changing nothing', async () => {
    const over = await staff.post(`/claims/${claimId}/payments`, { method: 'patient_credit', creditId, amountCents: 1600 });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'over_balance', message: "The claim's balance is $15.00; you cannot apply $16.00." });
    const small = await staff.post(`/patients/${patientId}/credits`, { amountCents: 300 });
    const tooMuch = await staff.post(`/claims/${claimId}/payments`, { method: 'patient_credit', creditId: small.body.id, amountCents: 500 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('over_credit');
    expect((await q('select balance_cents from claims where id = $1', [claimId]))[0].balance_cents).toBe(1500);
    expect((await q('select remaining_cents from patient_credits where id = $1', [small.body.id]))[0].remaining_cents).toBe(300);
  });

  it('lets exactly one of two racing applications for the same credit win', async () => {
    const racing = await staff.post(`/patients/${patientId}/credits`, { amountCents: 1000 });
    const [a, b] = await Promise.all([
      staff.post(`/claims/${claimId}/payments`, { method: 'patient_credit', creditId: racing.body.id, amountCents: 700 }),
      staff.post(`/claims/${claimId}/payments`, { method: 'patient_credit', creditId: racing.body.id, amountCents: 700 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((await q('select balance_cents from claims where id = $1', [claimId]))[0].balance_cents).toBe(800);
    expect((await q('select remaining_cents from patient_credits where id = $1', [racing.body.id]))[0].remaining_cents).toBe(300);
    expect(await n('select count(*) n from claim_payments where claim_id = $1', [claimId])).toBe(1);
  });

  it('refunds a credit balance as a patient credit', async () => {
    const [row] = await q(
      `insert into claims (practice_id, claim_key, claim_type, patient_id, patient_name, patient_account, date_of_service, billed_cents, balance_cents, first_seen_import, last_seen_import)
       select practice_id, 'INV-2', 'BF', id, 'Yamamoto, Ivan', '5000', current_date, 0, -450,
         (select id from imports limit 1), (select id from imports limit 1) from patients where id = $1 returning id`,
      [patientId],
    );
    const tooMuch = await staff.post(`/claims/${row.id}/refunds`, { asCredit: true, amountCents: 500 });
    expect(tooMuch.status).toBe(409);
    const refund = await staff.post(`/claims/${row.id}/refunds`, { asCredit: true, amountCents: 450 });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ claimBalanceCents: 0, asCredit: true });
    const credits = (await staff.get(`/patients/${patientId}/credits`)).body.items;
    expect(credits.find((c: any) => c.id === refund.body.creditId)).toMatchObject({ source: 'refund', remainingCents: 450 });
  });
});

describe('refusals and review', () => {
  it('refuses a patient file over the quota whole, before anything is written', async () => {
    // Over a thousand, so the message's counts show their thousands separators.
    await q(`update practices set patient_quota = 1000`);
    const before = await n('select count(*) n from patients');
    const rows = Array.from({ length: 1001 }, (_, i) => `Q-${i},Quinn,Quota${i}`);
    const up = await staff.upload(['Account Number,First Name,Last Name', ...rows].join('\n'), { kind: 'patients' });
    const ready = await waitForImport(stack.url, stack.staff, up.body.id);
    const preview = await staff.get(`/imports/${ready.id}/preview`);
    expect(preview.body.quota).toMatchObject({ quota: 1000, current: before, adding: 1001, exceeded: true });
    await staff.post(`/imports/${ready.id}/commit`);
    const failed = await waitForImport(stack.url, stack.staff, ready.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({
      code: 'quota_exceeded',
      message: `This file would add 1,001 new patients, but your practice has ${before} of its 1,000-patient quota in use. Nothing was imported. Remove some patients from the file or ask Ledgerport to raise your quota.`,
    });
    expect(await n('select count(*) n from patients')).toBe(before);
    await q(`update practices set patient_quota = 1000`);
  });

  it('onInvalid=block stops on any bad row and applies nothing', async () => {
    const before = await n('select count(*) n from patients');
    const up = await staff.upload('Account Number,First Name,Last Name,Date of Birth\nB-1,Bea,Block,01/01/1990\nB-2,Bo,Block,13/45/1990\n', {
      kind: 'patients',
      mode: 'commit',
      onInvalid: 'block',
    });
    const imp = await waitForImport(stack.url, stack.staff, up.body.id);
    expect(imp.status).toBe('failed');
    expect(imp.error.code).toBe('rows_rejected');
    expect(imp.error.message).toMatch(/^1 row could not be read/);
    expect(await n('select count(*) n from patients')).toBe(before);
  });

  it('discards a staged import on request, and after 7 days untouched', async () => {
    const a = await staff.upload('Account Number,First Name,Last Name\nD-1,Dee,Discard\n', { kind: 'patients' });
    await waitForImport(stack.url, stack.staff, a.body.id);
    const d = await staff.post(`/imports/${a.body.id}/discard`);
    expect(d.body).toMatchObject({ status: 'cancelled', error: { code: 'discarded' } });
    expect(await n('select count(*) n from staged_rows where import_id = $1', [a.body.id])).toBe(0);
    expect((await staff.post(`/imports/${a.body.id}/commit`)).status).toBe(409);

    const b = await staff.upload('Account Number,First Name,Last Name\nE-1,Ed,Expire\n', { kind: 'patients' });
    await waitForImport(stack.url, stack.staff, b.body.id);
    expect(await expireStagedImports(stack.db.handle.pool, new Date(Date.now() + 6 * 86400_000))).toEqual([]);
    expect(await expireStagedImports(stack.db.handle.pool, new Date(Date.now() + 8 * 86400_000))).toEqual([b.body.id]);
    const expired = (await staff.get(`/imports/${b.body.id}`)).body;
    expect(expired).toMatchObject({ status: 'cancelled', error: { code: 'expired' } });
    expect(await n(`select count(*) n from patients where external_account in ('D-1', 'E-1')`)).toBe(0);
  });

  it('gives back the rejected rows as they were, with messages and formulas neutralized, and the fixed file imports cleanly', async () => {
    const csv = [
      'Account Number,First Name,Last Name,Email,Date of Birth',
      'F-1,Fay,Fine,fay@example.com,01/01/1970',
      'F-2,=HYPERLINK("http://x"),Formula,not-an-email,01/01/1970',
      'F-3,Flo,"Bad, Date",flo@example.com,02/31/1970',
    ].join('\n');
    const up = await staff.upload(csv, { kind: 'patients', mode: 'commit' });
    const imp = await waitForImport(stack.url, stack.staff, up.body.id);
    expect(imp).toMatchObject({ status: 'completed', rowsAccepted: 1, rowsRejected: 2 });
    const annotated = await staff.get(`/imports/${imp.id}/errors?format=csv&annotated=1`);
    const lines = annotated.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Account Number,First Name,Last Name,Email,Date of Birth,Ledgerport errors');
    expect(lines[1]).toBe(`F-2,"'=HYPERLINK(""http://x"")",Formula,not-an-email,01/01/1970,"Email: ""not-an-email"" is not an email address"`);
    expect(lines[2]).toBe('F-3,Flo,"Bad, Date",flo@example.com,02/31/1970,"Date of Birth: ""02/31/1970"" is not a real date"');
    // Staff fix the rows in a spreadsheet and upload only those again.
    const fixed = [lines[0]!.replace(',Ledgerport errors', ''), 'F-2,Hy,Formula,hy@example.com,01/01/1970', 'F-3,Flo,"Bad, Date",flo@example.com,02/28/1970'].join('\n');
    const again = await staff.upload(fixed, { kind: 'patients', mode: 'commit' });
    const ok = await waitForImport(stack.url, stack.staff, again.body.id);
    expect(ok).toMatchObject({ status: 'completed', rowsAccepted: 2, rowsRejected: 0 });
    expect(ok.reconciliation.matches).toBe(true);
  });

  it('refuses a preview or Save of an import that is not waiting for review', async () => {
    const imp = (await staff.get('/imports')).body.items.find((i: any) => i.status === 'completed');
    expect((await staff.get(`/imports/${imp.id}/preview`)).status).toBe(409);
    expect((await admin.post(`/imports/${imp.id}/discard`)).status).toBe(409);
  });
});
