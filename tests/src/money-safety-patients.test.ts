// Patient balances and credits are idempotent by content, not by bytes: a corrected re-upload (the
// natural thing after fixing two rejected rows) never adds a second Balance Forward claim or a second
// credit, and the latest import of each patient kind can be reverted exactly.
import { client, sample, waitForImport } from './support/http.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
let admin: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startTestStack();
  staff = client(stack.url, stack.staff);
  admin = client(stack.url, stack.admin);
  const patients = await uploadAndSave(await sample('patients-cashpractice.csv'), 'patients', { skipInactive: 'false' });
  expect(patients.status).toBe('completed');
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;

async function uploadAndSave(content: string | Buffer, kind: string, fields: Record<string, string> = {}, name = `${kind}.csv`) {
  const up = await staff.upload(content, { kind, ...fields }, name);
  expect(up.status).toBe(202);
  const ready = await waitForImport(stack.url, stack.staff, up.body.id);
  expect(ready.status).toBe('ready');
  expect((await staff.post(`/imports/${up.body.id}/commit`)).status).toBe(202);
  return waitForImport(stack.url, stack.staff, up.body.id);
}

/** Every Balance Forward claim: patient, amount, whether open. */
const bfClaims = () =>
  q(`select patient_account, balance_cents, billed_cents, resolved_at is null as open, date_of_service from claims where claim_type = 'BF' order by patient_account, id`);
const credits = () => q(`select patient_id, amount_cents, remaining_cents, source_reference, description from patient_credits order by source_reference`);

describe('patient balances', () => {
  const original = async () => (await sample('patient-balances.csv')).toString('utf8');

  it('a corrected re-upload of the same balances adds no second Balance Forward claim', async () => {
    const first = await uploadAndSave(await original(), 'patient_balances');
    expect(first.summary).toMatchObject({ rowsNew: 17, rowsUpdated: 0, rowsUnchanged: 0, amountCentsApplied: 899183 });
    const after = await bfClaims();
    expect(after).toHaveLength(17);
    // Same facts, other bytes: CRLF line endings and a trailing blank line.
    const corrected = (await original()).replace(/\n/g, '\r\n') + '\r\n';
    const again = await uploadAndSave(corrected, 'patient_balances', {}, 'patient-balances-fixed.csv');
    expect(again.summary).toMatchObject({ rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 17, amountCentsApplied: 899183 });
    expect(again.reconciliation).toMatchObject({ matches: true, amountCentsInFile: 899183, amountCentsNotApplied: 0 });
    expect(await bfClaims()).toEqual(after);
  });

  it('a later balance for a patient updates the amount of the open Balance Forward claim, with its before-image', async () => {
    const before = await bfClaims();
    const text = (await original()).replace('5001,"Yamamoto, Zoë",$723.38', '5001,"Yamamoto, Zoë",$700.00');
    expect(text).not.toEqual(await original());
    const later = await uploadAndSave(text, 'patient_balances', {}, 'balances-later.csv');
    expect(later.error).toBeNull();
    expect(later.summary).toMatchObject({ rowsNew: 0, rowsUpdated: 1, rowsUnchanged: 16, amountCentsApplied: 899183 - 72338 + 70000 });
    const after = await bfClaims();
    expect(after).toHaveLength(17);
    expect(after.find((c) => c.patient_account === '5001')).toMatchObject({ balance_cents: 70000, billed_cents: 70000, open: true });
    const [version] = await q(`select v.balance_cents from claim_versions v where v.import_id = $1`, [later.id]);
    expect(version).toEqual({ balance_cents: 72338 });
    // Reverted exactly: the amount as it was before, and nothing else moved.
    const revert = await admin.post(`/imports/${later.id}/revert`);
    expect(revert.status).toBe(200);
    expect(revert.body.status).toBe('reverted');
    expect(await bfClaims()).toEqual(before);
  });

  it('only the latest balances import can be reverted; staff cannot revert', async () => {
    const imports = (await staff.get('/imports?pageSize=100')).body.items.filter((i: any) => i.kind === 'patient_balances' && i.status === 'completed');
    const [latest, older] = imports;
    expect((await staff.post(`/imports/${latest.id}/revert`)).status).toBe(403);
    const refused = await admin.post(`/imports/${older.id}/revert`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/Only the latest balances import can be reverted/);
  });
});

describe('patient credits', () => {
  const file = (rows: string[]) => ['accountNumber,patientName,paymentCredit,reference,description,Credit Date', ...rows].join('\n') + '\n';

  it('credits without a reference are one credit per (patient, amount, date, description), whatever file or line they come from', async () => {
    const before = await credits();
    const rows = ['5000,"Yamamoto, Ivan",10.00,,Overpayment,10/01/2026', '5004,"Kowalski, Omar",20.00,,Overpayment,10/02/2026'];
    const first = await uploadAndSave(file(rows), 'patient_credits');
    expect(first.summary).toMatchObject({ rowsNew: 2, amountCentsApplied: 3000 });
    // Corrected file: other order, other line endings, an extra row.
    const second = await uploadAndSave(file([rows[1]!, '5008,"Mbeki, Zoë",5.00,,Overpayment,10/03/2026', rows[0]!]).replace(/\n/g, '\r\n'), 'patient_credits', {}, 'credits-fixed.csv');
    expect(second.summary).toMatchObject({ rowsNew: 1, rowsUnchanged: 2, amountCentsApplied: 3500 });
    expect((await credits()).length).toBe(before.length + 3);
    // Reverting the latest removes only the one credit it added: the credits are exactly as the first file left them.
    const afterFirst = (await credits()).filter((c) => !(c.amount_cents === 500 && c.description === 'Overpayment'));
    expect((await admin.post(`/imports/${second.id}/revert`)).status).toBe(200);
    expect(await credits()).toEqual(afterFirst);
  });

  it('a credit import whose credits were used since cannot be reverted', async () => {
    const imp = await uploadAndSave(file(['5012,"Nguyen, Ana",7.00,REF-USED,Credit,10/04/2026']), 'patient_credits', {}, 'credit-used.csv');
    await q(`update patient_credits set remaining_cents = 100 where source_reference like '%REF-USED'`);
    const refused = await admin.post(`/imports/${imp.id}/revert`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/1 credit of this file has been applied to claims since/);
    expect((await q(`select count(*)::int n from patient_credits where source_reference like '%REF-USED'`))[0].n).toBe(1);
  });
});

describe('patients', () => {
  it('the latest patients import is reverted exactly: changed patients restored, none it added left behind', async () => {
    const before = await q(`select external_account, first_name, last_name, phone, active, updated_at from patients order by external_account`);
    const csv = ['TPSID,FirstName,LastName,Phone', '5002,Björn,Rivera-Changed,(555) 000-1111', 'NEW-1,Nadia,New,(555) 000-2222'].join('\n');
    const imp = await uploadAndSave(csv, 'patients', {}, 'patients-change.csv');
    expect(imp.summary).toMatchObject({ rowsNew: 1, rowsUpdated: 1 });
    expect((await admin.post(`/imports/${imp.id}/revert`)).status).toBe(200);
    expect(await q(`select external_account, first_name, last_name, phone, active, updated_at from patients order by external_account`)).toEqual(before);
  });

  it('a patients import whose new patients have balances since cannot be reverted', async () => {
    const imp = await uploadAndSave(['TPSID,FirstName,LastName', 'NEW-2,Nora,Newer'].join('\n'), 'patients', {}, 'patients-new.csv');
    await uploadAndSave(['accountNumber,paymentBalance', 'NEW-2,12.00'].join('\n'), 'patient_balances', {}, 'balances-new.csv');
    const refused = await admin.post(`/imports/${imp.id}/revert`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/1 patient this file added now has balances or credits/);
  });
});

describe('every figure adds up to the file, whatever rows are bad (generated balances)', () => {
  // A seeded generator: the same "random" rows every run.
  function rng(seed: number) {
    let s = seed;
    return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  }
  const money = (c: number) => `${c < 0 ? '-' : ''}$${(Math.abs(c) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
  const dollars = (cents: number) => (cents < 0 ? `(${(-cents / 100).toFixed(2)})` : (cents / 100).toFixed(2));

  it.each([7, 8])('seed %i: file = applied + not applied, in the summary and in the notification', async (seed) => {
    const random = rng(seed);
    let fileCents = 0;
    let notAppliedCents = 0;
    let unreadable = 0;
    let rejected = 0;
    const applied = new Map<string, number>();
    const untouched: string[] = [];
    const rows = Array.from({ length: 24 }, (_, i) => {
      const account = String(5000 + i);
      const cents = Math.floor(random() * 200_000) - 20_000;
      const spoil = random() < 0.3 ? Math.floor(random() * 3) : -1;
      if (spoil === 0) {
        // the amount itself unreadable: a row, but no money; the patient's balance stays as it was
        rejected++;
        unreadable++;
        untouched.push(account);
        return `${account},12.3.4`;
      }
      fileCents += cents;
      if (spoil === 1) {
        // no account: rejected as it is read, its money readable
        rejected++;
        notAppliedCents += cents;
        return `,${dollars(cents)}`;
      }
      if (spoil === 2) {
        // an account no patient has: rejected when staged, its money readable
        rejected++;
        notAppliedCents += cents;
        return `NOPE-${seed}-${i},${dollars(cents)}`;
      }
      applied.set(account, cents);
      return `${account},${dollars(cents)}`;
    });
    expect(rejected).toBeGreaterThan(0);
    const bfBefore = await bfClaims();
    const imp = await uploadAndSave(['accountNumber,paymentBalance', ...rows].join('\n') + '\n', 'patient_balances', {}, `generated-${seed}.csv`);
    expect(imp.status).toBe('completed');
    const appliedCents = [...applied.values()].reduce((a, b) => a + b, 0);
    expect(imp.reconciliation).toMatchObject({
      rowsInFile: 24,
      rowsApplied: 24 - rejected,
      rowsRejected: rejected,
      amountCentsInFile: fileCents,
      amountCentsApplied: appliedCents,
      amountCentsNotApplied: notAppliedCents,
      rowsWithUnreadableAmount: unreadable,
      matches: false,
    });
    // The money applied is the open Balance Forward claims' money, patient by patient.
    const bf = await q(`select patient_account, balance_cents from claims where claim_type = 'BF' and resolved_at is null and patient_account = any($1)`, [[...applied.keys()]]);
    expect(Object.fromEntries(bf.map((c) => [c.patient_account, Number(c.balance_cents)]))).toEqual(Object.fromEntries(applied));
    // A patient whose row was rejected keeps the Balance Forward claim (or none) exactly as it was.
    const ofAccounts = (claims: any[]) => claims.filter((c) => untouched.includes(c.patient_account));
    expect(ofAccounts(await bfClaims())).toEqual(ofAccounts(bfBefore));
    // The uploader's notifications carry the same figures: before Save, what will not be saved; after it, the whole account.
    const notes = (await staff.get('/notifications?pageSize=100')).body.items.filter((x: any) => x.link === `/imports/${imp.id}`);
    const ready = notes.find((x: any) => x.kind === 'import_ready');
    expect(ready.message).toContain(
      `${24 - rejected} rows wait for your Save. ${rejected} row${rejected === 1 ? ' was' : 's were'} rejected and will not be saved (${money(notAppliedCents)}` +
        (unreadable ? `, and ${unreadable} row${unreadable === 1 ? '' : 's'} whose amount could not be read)` : ')'),
    );
    const note = notes.find((x: any) => x.kind === 'import_completed');
    expect(note.message).toContain(`generated-${seed}.csv was saved with ${rejected} rejected row${rejected === 1 ? '' : 's'}`);
    expect(note.message).toContain(`Rows: 24 in the file, ${24 - rejected} applied, ${rejected} rejected, 0 with warnings.`);
    expect(note.message).toContain(
      `Money: ${money(fileCents)} in the file, ${money(appliedCents)} applied, ${money(notAppliedCents)} not applied` +
        (unreadable ? `, and ${unreadable} row${unreadable === 1 ? '' : 's'} whose amount could not be read.` : '.'),
    );
    // The latest balances import, Balance Forward claims it created and updated alike, is reverted exactly.
    expect(imp.summary.rowsNew + imp.summary.rowsUpdated).toBeGreaterThan(0);
    expect((await admin.post(`/imports/${imp.id}/revert`)).status).toBe(200);
    expect(await bfClaims()).toEqual(bfBefore);
  });
});

describe('dates in patient files are never guessed silently', () => {
  const patients = (rows: string[]) => ['TPSID,FirstName,LastName,DOB', ...rows].join('\n') + '\n';
  const dob = async (account: string) => (await q(`select date_of_birth from patients where external_account = $1`, [account]))[0]?.date_of_birth;

  it('warns of a date of birth in the future or more than 120 years ago, and keeps the patient', async () => {
    const imp = await uploadAndSave(patients(['DOB-1,Ada,Future,03/14/2090', 'DOB-2,Bea,Old,03/14/1890', 'DOB-3,Cy,Fine,03/14/1962']), 'patients', {}, 'births.csv');
    expect(imp).toMatchObject({ status: 'completed', rowsWarned: 2, rowsRejected: 0, summary: { rowsNew: 3 } });
    const warnings = (await staff.get(`/imports/${imp.id}/errors`)).body.items.map((e: any) => [e.severity, e.message]);
    expect(warnings).toEqual([
      ['warning', 'The date of birth 03/14/2090 is in the future'],
      ['warning', 'The date of birth 03/14/1890 is more than 120 years ago'],
    ]);
    expect(await dob('DOB-1')).toBe('2090-03-14');
  });

  it("reads a day-first file day-first when its own dates say so, and takes the order named at upload", async () => {
    const decided = await uploadAndSave(patients(['DMY-1,Ada,One,25/09/1970', 'DMY-2,Bea,Two,02/09/1980']), 'patients', {}, 'day-first.csv');
    expect(decided).toMatchObject({ status: 'completed', rowsRejected: 0, notices: [] });
    expect(await dob('DMY-2')).toBe('1980-09-02');

    const stated = await uploadAndSave(patients(['DMY-3,Cy,Three,02/09/1980']), 'patients', { dateOrder: 'DMY' }, 'stated.csv');
    expect(stated).toMatchObject({ status: 'completed', dateOrder: 'DMY', notices: [] });
    expect(await dob('DMY-3')).toBe('1980-09-02');
  });

  it('says which order it assumed when nothing decides it', async () => {
    const assumed = await uploadAndSave(patients(['MDY-1,Dee,Four,02/09/1980']), 'patients', {}, 'ambiguous.csv');
    expect(assumed.notices).toEqual([{ code: 'date_order_assumed', message: expect.stringMatching(/read month first \(MM\/DD\/YYYY\).*choose the date order/) }]);
    expect(await dob('MDY-1')).toBe('1980-02-09');
  });
});

describe('a file uploaded as the wrong kind', () => {
  it('an insurance aging report uploaded as patient balances is refused, adding no Balance Forward claim', async () => {
    const before = await bfClaims();
    // Its Patient Account and Balance columns would read as a balances file: each patient's insurance balance again.
    const aging = [
      'Claim Number,Patient Account,Patient Name,Date of Birth,Payer,Date of Service,Billed Amount,Balance',
      '728226-0,5000,"Yamamoto, Ivan",02/06/1947,Aetna,11/13/2026,$281.12,$182.46',
      '764942-1,5001,"Yamamoto, Zoë",11/25/1999,Humana,03/05/2026,$568.21,$498.66',
    ].join('\n');
    const up = await staff.upload(aging, { kind: 'patient_balances' }, 'aging-as-balances.csv');
    expect(up.status).toBe(202);
    const imp = await waitForImport(stack.url, stack.staff, up.body.id);
    expect(imp).toMatchObject({ status: 'failed', error: { code: 'wrong_kind' } });
    expect(imp.error.message).toMatch(/looks like an insurance aging report \(it has "Payer" and "Date of Service" columns\), not a file of patient balances/);
    expect(await bfClaims()).toEqual(before);
  });
});
