import type { Dialog, Page } from 'playwright-core';
import { expectAxeClean } from '../support/axe.js';
import { ensureWebBuilt, launchBrowser, screenshot, WEB_DIST, type TestBrowser, signInWithToken, staffAndAdminPages } from '../support/browser.js';
import { AGING_HEADER, generateAgingCsv } from '../support/generate.js';
import { client, sample, waitForImport } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// What the page says about imports that change money: a file that waits for an administrator, the
// reconciliation against the report's own printed total, an empty report an administrator confirms,
// and Revert. In a real (headless) chromium; every wait is for a state on the page, never for time.

let stack: TestStack;
let browser: TestBrowser;
let staff: Page;
let admin: Page;
/** Locations of this file's own, made before anyone signs in (the page reads them at sign-in). */
const loc: Record<'elm' | 'oak' | 'birch' | 'pine', string> = { elm: '', oak: '', birch: '', pine: '' };

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
const money = (cents: number) =>
  `$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;

async function locationWithClaims(name: string, rows: number): Promise<string> {
  const [row] = await q(`insert into locations (practice_id, name) values ($1, $2) returning id`, [
    stack.seed.practice.id,
    name,
  ]);
  if (rows > 0) {
    const up = await client(stack.url, stack.staff).upload(
      generateAgingCsv({ rows }),
      { kind: 'aging', locationId: row.id },
      `${name}-monday.csv`,
    );
    expect(up.status).toBe(202);
    expect(await waitForImport(stack.url, stack.staff, up.body.id)).toMatchObject({
      status: 'completed',
      summary: { claimsNew: rows },
    });
  }
  return row.id as string;
}

const openClaims = async (locationId: string) =>
  (await q(`select count(*)::int n from claims where location_id = $1 and resolved_at is null`, [locationId]))[0].n;

beforeAll(async () => {
  ensureWebBuilt();
  browser = await launchBrowser();
  stack = await startTestStack({ env: { WEB_DIR: WEB_DIST, JOB_ATTEMPTS: '1' } });
  loc.elm = await locationWithClaims('Elm Court', 300);
  loc.oak = await locationWithClaims('Oak Plaza', 0);
  loc.birch = await locationWithClaims('Birch Lane', 30);
  loc.pine = await locationWithClaims('Pine Row', 20);
  ({ staff, admin } = await staffAndAdminPages(browser, stack));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});


async function uploadAging(page: Page, name: string, content: string | Buffer, location: string, dateOrder?: string) {
  await page.goto(`${stack.url}/#/`);
  await page.getByLabel('What the file holds').selectOption({ label: 'Insurance aging' });
  await page.getByLabel('Location', { exact: true }).selectOption({ label: location });
  if (dateOrder) await page.getByLabel('Date order').selectOption({ label: dateOrder });
  await page
    .getByLabel('File', { exact: true })
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Uploaded ${name}` })
    .waitFor();
}

const importRow = (page: Page, fileName: string) =>
  page.getByRole('row').filter({ has: page.getByRole('link', { name: fileName, exact: true }) });

/** Answers the next confirmation dialog and hands back what it asked. */
function answerNextDialog(page: Page, accept: boolean): Promise<string> {
  return new Promise((resolve) => {
    page.once('dialog', (d: Dialog) => {
      resolve(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
  });
}

async function importIdOf(page: Page, fileName: string): Promise<string> {
  const href = await importRow(page, fileName).getByRole('link', { name: fileName, exact: true }).getAttribute('href');
  return decodeURIComponent(/#\/imports\/(.+)$/.exec(href ?? '')?.[1] ?? '');
}

describe('a file that would close most of a location’s open claims', () => {
  let id: string;
  let centsToResolve: number;

  it('is shown to staff as waiting for an administrator, with the claims it would close and no Save', async () => {
    await uploadAging(staff, 'cut-short.csv', generateAgingCsv({ rows: 10 }), 'Elm Court');
    const row = importRow(staff, 'cut-short.csv');
    await row.getByText('Waits for an administrator', { exact: true }).waitFor();
    expect(await row.getByText('Ready for review', { exact: true }).count()).toBe(0);
    id = await importIdOf(staff, 'cut-short.csv');
    const api = await waitForImport(stack.url, stack.staff, id);
    expect(api.review).toMatchObject({ reason: 'mass_resolve', claimsToResolve: 290, openClaims: 300 });
    centsToResolve = api.review.centsToResolve;

    await row.getByRole('link', { name: 'cut-short.csv' }).click();
    await staff.getByRole('heading', { name: 'cut-short.csv', level: 1 }).waitFor();
    await staff.locator('.title').getByText('Waits for an administrator', { exact: true }).waitFor();
    await staff
      .getByText(
        `Waits for an administrator: this file would close 290 open claims of Elm Court (${money(centsToResolve)}), 97 % of its 300 open claims.`,
        { exact: true },
      )
      .waitFor();
    await staff.getByText(api.review.message, { exact: true }).waitFor();
    await staff.getByText('An administrator of your practice must save this file.').waitFor();
    // Never an ordinary preview: no Save for staff, no "Preview" panel.
    expect(await staff.getByRole('button', { name: /^Save/ }).count()).toBe(0);
    expect(await staff.getByRole('heading', { name: 'Preview: nothing is saved yet' }).count()).toBe(0);
    await staff.getByRole('button', { name: 'Discard' }).waitFor();

    // The claims it would close, largest balance first, money formatted, 25 to a page.
    await staff.getByRole('heading', { name: 'The claims it would close (290), largest balance first' }).waitFor();
    const table = staff.getByRole('table', { name: 'Claims this file would close' });
    expect(await table.locator('tbody tr').count()).toBe(25);
    const listed = (await client(stack.url, stack.staff).get(`/imports/${id}/review/claims?page=1&pageSize=25`)).body;
    const first = listed.items[0];
    expect(await table.locator('tbody tr').first().textContent()).toBe(
      [first.claimNumber, first.patientName, first.patientAccount, first.payer, usDate(first.dateOfService)].join('') +
        money(first.balanceCents),
    );
    await staff.getByText('1–25 of 290').waitFor();
    await screenshot(staff, 'review-staff-1280');
    await expectAxeClean(staff, 'a file waiting for an administrator (staff)');
    const phone = await browser.newPage(390, 844);
    await signInWithToken(phone, stack, stack.staff);
    await phone.goto(`${stack.url}/#/imports/${id}`);
    await phone.getByRole('heading', { name: /^The claims it would close \(290\)/ }).waitFor();
    const [scrollWidth, innerWidth] = await phone.evaluate<[number, number]>(
      '[document.documentElement.scrollWidth, window.innerWidth]',
    );
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await screenshot(phone, 'review-staff-390');
    await expectAxeClean(phone, 'a file waiting for an administrator, on a phone');
    await phone.close();
    await staff.getByRole('button', { name: 'Next ›' }).click();
    await staff.getByText('26–50 of 290').waitFor();
    const second = (await client(stack.url, stack.staff).get(`/imports/${id}/review/claims?page=2&pageSize=25`)).body;
    await table.locator('tbody tr').first().getByText(second.items[0].claimNumber, { exact: true }).waitFor();

    // Needs attention lists it for staff too, saying who must act.
    await staff.getByRole('link', { name: 'Needs attention' }).click();
    await staff.getByRole('heading', { name: 'Waits for an administrator (1)' }).waitFor();
    await importRow(staff, 'cut-short.csv')
      .getByText(/would close 290 open claims of Elm Court/)
      .waitFor();
    expect(await openClaims(loc.elm)).toBe(300);
  });

  it('refuses staff Save on the server too (403), whatever the page shows', async () => {
    const r = await client(stack.url, stack.staff).post(`/imports/${id}/commit`);
    expect(r.status).toBe(403);
  });

  it('is saved by an administrator from Needs attention, after a confirmation naming the claims and the money', async () => {
    await admin.getByRole('link', { name: 'Needs attention' }).click();
    await admin.getByRole('heading', { name: 'Waits for an administrator (1)' }).waitFor();
    await importRow(admin, 'cut-short.csv').getByRole('link', { name: 'cut-short.csv' }).click();
    const save = admin.getByRole('button', { name: 'Save and close these claims' });
    await save.waitFor();
    await screenshot(admin, 'review-admin-1280');
    await expectAxeClean(admin, 'a file waiting for an administrator (admin)');

    // Dismissed: nothing happens.
    const dismissed = answerNextDialog(admin, false);
    await save.click();
    expect(await dismissed).toMatch(/mark 290 open claims of Elm Court/);
    expect((await client(stack.url, stack.admin).get(`/imports/${id}`)).body.status).toBe('ready');

    const asked = answerNextDialog(admin, true);
    await save.click();
    expect(await asked).toBe(
      `Save cut-short.csv and mark 290 open claims of Elm Court (${money(centsToResolve)}) as resolved? They will no longer show as owed. The rest of the file is applied too.`,
    );
    await admin.locator('.title').getByText('Completed', { exact: true }).waitFor();
    await admin.getByRole('heading', { name: 'What this import changed' }).waitFor();
    const resolvedTile = admin.locator('.tile').filter({ hasText: 'Resolved (paid since)' });
    expect(await resolvedTile.locator('.n').textContent()).toBe('290');
    expect(await openClaims(loc.elm)).toBe(10);
    // No longer waiting: Needs attention is clear again.
    await admin.getByRole('link', { name: 'Needs attention' }).click();
    await admin.getByRole('heading', { name: 'Waits for an administrator (0)' }).waitFor();
  });
});

describe('the reconciliation of a report whose rows do not add up to its printed total', () => {
  it('shows rows and money in the file, applied and not, the printed total and the difference, and says it does not match', async () => {
    // An OfficeMate report with one claim line removed: its "Report Totals" line still counts it.
    const text = (await sample('aging-officemate.csv')).toString('utf8').replace(/^.*FS-353493-1.*\r?\n/m, '');
    await uploadAging(staff, 'officemate-edited.csv', text, 'Oak Plaza', 'Month first MM/DD/YYYY');

    const row = importRow(staff, 'officemate-edited.csv');
    await row.getByText('Completed', { exact: true }).waitFor();
    const id = await importIdOf(staff, 'officemate-edited.csv');
    const api = await waitForImport(stack.url, stack.staff, id);
    const r = api.reconciliation;
    expect(api.dateOrder).toBe('MDY');
    expect(r).toMatchObject({ matches: false, printedTotalCents: 1466171, differenceFromPrintedTotalCents: 11153 });
    await row.getByRole('link', { name: 'officemate-edited.csv' }).click();
    await staff.getByRole('heading', { name: 'Reconciliation' }).waitFor();

    const facts = staff.getByRole('group', { name: 'Reconciliation' });
    const fact = async (label: string) =>
      (await facts
        .locator('div')
        .filter({ has: staff.getByText(label, { exact: true }) })
        .locator('dd')
        .textContent()) ?? '';
    expect(await fact('Rows in the file')).toBe(r.rowsInFile.toLocaleString('en-US'));
    expect(await fact('Rows applied')).toBe(r.rowsApplied.toLocaleString('en-US'));
    expect(await fact('Rows rejected')).toBe('0');
    expect(await fact('Rows with warnings')).toBe(String(r.rowsWarned));
    expect(await fact('Money in the file')).toBe(money(1466171 - 11153));
    expect(await fact('Money applied')).toBe(money(r.amountCentsApplied));
    expect(await fact('Money not applied')).toBe('$0.00');
    expect(await fact("The report's printed total")).toBe('$14,661.71');
    expect(await fact('Difference from the printed total')).toBe('$111.53 more than the rows add up to');
    expect(await fact('Adds up to the file')).toBe('No');
    await facts.getByText(/printed total \(\$14,661\.71\) is \$111\.53 more than its rows/).waitFor();
    // The date order named at upload is the one the file was read with.
    const dateOrder = staff.locator('dl.facts > div').filter({ has: staff.getByText('Date order', { exact: true }) });
    expect(await dateOrder.locator('dd').textContent()).toBe('Month first (MM/DD/YYYY)');

    // The report's own totals that differ are warnings about the whole file.
    const warning = staff.locator('.notice-warning').filter({ hasText: 'About the whole file' });
    await warning.getByText(/"Report Totals".*\$111\.53 more than the rows/).waitFor();
    await warning.getByText(/"Cigna Total".*\$111\.53 more than the rows/).waitFor();
    await screenshot(staff, 'reconciliation-1280');
    await expectAxeClean(staff, 'a reconciliation that does not match');
  });
});

describe('a nightly file with rows that could not be read', () => {
  it('leaves the claims on those rows open, says so, and does not call the import reconciled', async () => {
    const bad = new Set(['C-00000003', 'C-00000017']);
    const text = generateAgingCsv({ rows: 20, changeEvery: 4 })
      .split('\n')
      .map((l) => (bad.has(l.slice(0, 10)) ? l.replace(/\d\d\/\d\d\/2026/, 'someday') : l))
      .join('\n');
    await uploadAging(staff, 'pine-tuesday.csv', text, 'Pine Row');
    const row = importRow(staff, 'pine-tuesday.csv');
    await row.getByText('Completed', { exact: true }).waitFor();
    await row.getByRole('link', { name: 'pine-tuesday.csv' }).click();
    await staff.getByText('2 open claims on rejected rows were left as they were.', { exact: true }).waitFor();
    const keptTile = staff.locator('.tile').filter({ hasText: 'Kept open (rows rejected)' });
    expect(await keptTile.locator('.n').textContent()).toBe('2');
    const facts = staff.getByRole('group', { name: 'Reconciliation' });
    await facts.getByText('No', { exact: true }).waitFor();
    await facts
      .getByText(/^⚠ The file has 20 rows and \$[\d,.]+; 18 rows and \$[\d,.]+ were applied\. 2 rows were rejected/)
      .waitFor();
    await staff.getByRole('heading', { name: 'Rows not applied: errors (2)' }).waitFor();
    expect(await openClaims(loc.pine)).toBe(20);
  });
});

describe('an aging report with no claims', () => {
  it('fails; staff are told an administrator can confirm it, and an administrator confirms the location has none', async () => {
    await uploadAging(staff, 'empty-birch.csv', AGING_HEADER + '\n', 'Birch Lane');
    const row = importRow(staff, 'empty-birch.csv');
    await row.getByText('Failed', { exact: true }).waitFor();
    const id = await importIdOf(staff, 'empty-birch.csv');
    await row.getByRole('link', { name: 'empty-birch.csv' }).click();
    await staff.locator('.title').getByText('Failed', { exact: true }).waitFor();
    await staff.getByText(/This report has no claims\..*its 30 open claims will be marked resolved/).waitFor();
    await staff
      .getByText(
        'An administrator of your practice can confirm that Birch Lane has no open claims; until then nothing is changed.',
      )
      .waitFor();
    expect(await staff.getByRole('button', { name: /Confirm/ }).count()).toBe(0);
    expect(await openClaims(loc.birch)).toBe(30);

    await admin.getByRole('link', { name: 'Needs attention' }).click();
    const failed = importRow(admin, 'empty-birch.csv');
    const confirm = failed.getByRole('button', { name: 'Confirm: Birch Lane has no open claims' });
    await confirm.waitFor();
    // Retrying would only fail on the same empty report again.
    expect(await failed.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await screenshot(admin, 'no-claims-admin-1280');
    await expectAxeClean(admin, 'an empty report an administrator can confirm');
    const asked = answerNextDialog(admin, true);
    await confirm.click();
    expect(await asked).toBe(
      'Confirm that Birch Lane has no open insurance claims? This report is then applied, and its 30 open claims will be marked resolved, as if paid.',
    );
    await admin.getByRole('status').filter({ hasText: 'Confirmed: Birch Lane has no open claims.' }).waitFor();
    await admin.goto(`${stack.url}/#/imports/${id}`);
    await admin.locator('.title').getByText('Completed', { exact: true }).waitFor();
    const resolvedTile = admin.locator('.tile').filter({ hasText: 'Resolved (paid since)' });
    expect(await resolvedTile.locator('.n').textContent()).toBe('30');
    expect(await openClaims(loc.birch)).toBe(0);
  });
});

describe('revert of a completed patient balances import', () => {
  it('offers administrators Revert, says what it undoes, shows a refusal in the API’s words, and reverts', async () => {
    const api = client(stack.url, stack.staff);
    const saved = async (content: Buffer, kind: string, fields: Record<string, string> = {}) => {
      const up = await api.upload(content, { kind, ...fields }, kind === 'patients' ? 'patients.csv' : 'balances.csv');
      expect(up.status).toBe(202);
      expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('ready');
      expect((await api.post(`/imports/${up.body.id}/commit`)).status).toBe(202);
      const done = await waitForImport(stack.url, stack.staff, up.body.id);
      expect(done.status).toBe('completed');
      return done;
    };
    const patients = await saved(await sample('patients-cashpractice.csv'), 'patients', { skipInactive: 'false' });
    const balances = await saved(await sample('patient-balances.csv'), 'patient_balances');
    expect(balances.summary).toMatchObject({ rowsNew: 17 });
    const bf = async () => (await q(`select count(*)::int n from claims where claim_type = 'BF'`))[0].n;
    expect(await bf()).toBe(17);

    // Staff see no Revert.
    await staff.goto(`${stack.url}/#/imports/${balances.id}`);
    await staff.locator('.title').getByText('Completed', { exact: true }).waitFor();
    await staff.getByRole('heading', { name: 'Reconciliation' }).waitFor();
    expect(await staff.getByRole('button', { name: /Revert/ }).count()).toBe(0);

    // The patients import cannot go first: its patients have balances now. The API's 409, as it says it.
    await admin.goto(`${stack.url}/#/imports/${patients.id}`);
    await admin.locator('.title').getByText('Completed', { exact: true }).waitFor();
    const refusedAsked = answerNextDialog(admin, true);
    await admin.getByRole('button', { name: 'Revert patients.csv' }).click();
    expect(await refusedAsked).toMatch(
      /^Revert patients\.csv\? The patients it added or changed go back to how they were/,
    );
    await admin
      .getByRole('alert')
      .filter({ hasText: /patients this file added now have balances or credits\. Revert those imports first/ })
      .waitFor();
    expect((await client(stack.url, stack.admin).get(`/imports/${patients.id}`)).body.status).toBe('completed');

    await admin.goto(`${stack.url}/#/imports/${balances.id}`);
    await admin.locator('.title').getByText('Completed', { exact: true }).waitFor();
    const asked = answerNextDialog(admin, true);
    await admin.getByRole('button', { name: 'Revert balances.csv' }).click();
    expect(await asked).toMatch(
      /^Revert balances\.csv\? The opening balances it brought in are undone: the 17 Balance Forward claims it created are removed\. \$[\d,]+\.\d\d of opening balances is taken off the patients' accounts\.$/,
    );
    await admin.locator('.title').getByText('Reverted', { exact: true }).waitFor();
    await admin.getByRole('status').filter({ hasText: 'Reverted balances.csv' }).waitFor();
    expect(await admin.getByRole('button', { name: /Revert/ }).count()).toBe(0);
    expect(await bf()).toBe(0);
    await screenshot(admin, 'reverted-1280');
    await expectAxeClean(admin, 'a reverted import (admin)');

    // Its uploader hears of it, under its own heading, and not by chance.
    await staff.goto(`${stack.url}/#/notifications`);
    const note = staff.getByRole('listitem').filter({ hasText: 'balances.csv was reverted by' });
    await note.locator('.note-kind').filter({ hasText: /^(Unread: )?Import reverted · / }).waitFor();
    await note.getByRole('link', { name: 'Open the import' }).click();
    await staff.getByRole('heading', { name: 'balances.csv', level: 1 }).waitFor();
    await staff.locator('.title').getByText('Reverted', { exact: true }).waitFor();
  });
});
