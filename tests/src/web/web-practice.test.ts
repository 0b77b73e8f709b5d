import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expectAxeClean } from '../support/axe.js';
import { ensureWebBuilt, launchBrowser, screenshot, WEB_DIST, type TestBrowser, staffAndAdminPages } from '../support/browser.js';
import { insertPatientFixture } from '../support/fixtures.js';
import { generateAgingCsv } from '../support/generate.js';
import { client, waitForImport } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// The screens a practice runs itself with, in a real (headless) chromium against the API serving
// apps/web/dist: locations and settings (administrators), receivables, a claim's history, payers,
// a patient's page, and the imports list filtered. Every screen is checked with axe. Every wait is
// for a state on the page, never for a length of time.

let stack: TestStack;
let browser: TestBrowser;
let staff: Page;
let admin: Page;
let loc: string;
let locName: string;

beforeAll(async () => {
  ensureWebBuilt();
  browser = await launchBrowser();
  stack = await startTestStack({ env: { WEB_DIR: WEB_DIST } });
  loc = stack.seed.locations[0]!.id;
  locName = stack.seed.locations[0]!.name;
  const api = client(stack.url, stack.staff);
  for (const [csv, name] of [
    [generateAgingCsv({ rows: 40 }), 'monday.csv'],
    [generateAgingCsv({ rows: 40, changeEvery: 4, dropEvery: 10 }), 'tuesday.csv'],
  ] as const) {
    const up = await api.upload(csv, { kind: 'aging', locationId: loc }, name);
    expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('completed');
  }
  ({ staff, admin } = await staffAndAdminPages(browser, stack));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});


async function open(page: Page, hash: string, heading: string): Promise<void> {
  await page.goto(`${stack.url}/${hash}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

const money = (cents: number) =>
  `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

describe('locations (administrators)', () => {
  it('adds a location with its other names and PM system, renames it and archives it', async () => {
    await open(admin, '#/locations', 'Locations');
    await expectAxeClean(admin, 'the locations page');
    const add = admin.getByRole('form', { name: 'Add a location' });
    await add.getByLabel('Name', { exact: true }).fill('Eastside');
    await add.getByLabel('Other names in PM exports').fill('EAST, East Side Clinic');
    await add.getByLabel('PM system').selectOption('revolutionehr');
    await add.getByRole('button', { name: 'Add location' }).click();
    await admin.getByRole('status').filter({ hasText: 'Eastside was added.' }).waitFor();
    const row = admin.getByRole('row').filter({ hasText: 'Eastside' });
    expect(await row.textContent()).toMatch(/Eastside.*EAST, East Side Clinic.*RevolutionEHR.*Active/i);

    await row.getByRole('button', { name: 'Change Eastside' }).click();
    const edit = admin.getByRole('form', { name: 'Change Eastside' });
    await edit.getByLabel('Name', { exact: true }).fill('Eastside Clinic');
    await edit.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').filter({ hasText: 'Eastside Clinic was saved.' }).waitFor();
    // A name another location already goes by is refused in the server's words.
    await admin.getByRole('form', { name: 'Add a location' }).getByLabel('Name', { exact: true }).fill('east side clinic');
    await admin.getByRole('button', { name: 'Add location' }).click();
    await admin.getByRole('alert').filter({ hasText: 'Each name may belong to one location only.' }).waitFor();

    await admin.getByRole('button', { name: 'Archive Eastside Clinic' }).click();
    await admin.getByRole('status').filter({ hasText: 'Eastside Clinic was archived' }).waitFor();
    await admin.getByRole('row').filter({ hasText: 'Eastside Clinic' }).getByText('Archived').waitFor();
    await expectAxeClean(admin, 'the locations page after changes');

    const all = (await client(stack.url, stack.admin).get('/locations?archived=1')).body.items;
    expect(all.find((l: any) => l.name === 'Eastside Clinic')).toMatchObject({
      aliases: ['EAST', 'East Side Clinic'],
      pmSystem: 'revolutionehr',
      archivedAt: expect.any(String),
    });
  });

  it('is not offered to staff', async () => {
    await staff.goto(`${stack.url}/#/`);
    await staff.getByRole('link', { name: 'Receivables' }).waitFor();
    expect(await staff.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Locations' }).count()).toBe(0);
    await open(staff, '#/locations', 'Locations');
    await staff.getByText('Only a practice administrator can add or change locations.').waitFor();
  });
});

describe('practice settings (administrators)', () => {
  it('changes the time zone, default modes and money limits, and shows the patient quota read-only', async () => {
    await open(admin, '#/settings', 'Practice settings');
    await admin.getByTestId('quota').filter({ hasText: '0 of 1,000 patients' }).waitFor();
    await expectAxeClean(admin, 'the settings page');
    await admin.getByRole('combobox', { name: 'Time zone' }).selectOption('America/Chicago');
    await admin.getByLabel('Insurance aging').selectOption('preview');
    await admin.getByLabel('Needs an administrator above').fill('250.00');
    await admin.getByLabel('Largest amount allowed').fill('$5,000');
    await admin.getByLabel('Keep uploaded files for (days)').fill('45');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByRole('status').filter({ hasText: 'The settings were saved.' }).waitFor();
    const s = (await client(stack.url, stack.admin).get('/practice/settings')).body;
    expect(s).toMatchObject({
      timeZone: 'America/Chicago',
      defaultModes: { aging: 'preview' },
      approvalThresholdCents: 25_000,
      maxManualAmountCents: 500_000,
      retentionDays: 45,
    });
    // A threshold above the maximum: refused in words, nothing saved.
    await admin.getByLabel('Needs an administrator above').fill('9,000.00');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByRole('alert').filter({ hasText: 'cannot be above the largest amount allowed' }).waitFor();
    const back = await fetch(`${stack.url}/practice/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${stack.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ defaultModes: {} }),
    });
    expect(back.status).toBe(200);
  });
});

describe('receivables', () => {
  it("shows a location's open claims totalled by bucket and payer, filters them, and exports them", async () => {
    const totals = (await client(stack.url, stack.staff).get(`/locations/${loc}/claims/totals`)).body;
    await open(staff, `#/receivables/${loc}`, 'Receivables');
    await staff.getByRole('heading', { name: `Open at ${locName}` }).waitFor();
    // The location archived above is still there to look at.
    await staff.getByLabel('Location').locator('option', { hasText: 'Eastside Clinic (archived)' }).waitFor({ state: 'attached' });
    expect(await staff.getByTestId('open-balance').textContent()).toBe(money(totals.balanceCents));
    await staff.getByRole('table', { name: 'Open claims by aging bucket' }).waitFor();
    expect(await staff.getByRole('table', { name: 'Open claims by payer' }).locator('tbody tr').count()).toBe(totals.byPayer.length);
    await staff.getByTestId('claims-found').filter({ hasText: new RegExp(`^36 claims found, \\${money(totals.balanceCents)} in all\\.$`) }).waitFor();
    await screenshot(staff, 'receivables-1280');
    await expectAxeClean(staff, 'the receivables page');

    await staff.getByLabel('Patient or claim number').fill('Patient12,');
    await staff.getByRole('button', { name: 'Show claims' }).click();
    await staff.getByTestId('claims-found').filter({ hasText: /^1 claim found/ }).waitFor();
    await staff.getByLabel('Status').selectOption('resolved');
    await staff.getByLabel('Patient or claim number').fill('');
    await staff.getByRole('button', { name: 'Show claims' }).click();
    await staff.getByTestId('claims-found').filter({ hasText: /^4 claims found/ }).waitFor();

    const [download] = await Promise.all([staff.waitForEvent('download'), staff.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/resolved-claims\.csv$/);
    const lines = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Claim Number,Patient Name,Patient Account,Payer,Date of Service,Billed,Balance,Aging,Resolved');
    expect(lines).toHaveLength(5);
  });

  it("opens a claim's history: which import created and changed it, with before and after", async () => {
    await open(staff, `#/receivables/${loc}`, 'Receivables');
    await staff.getByLabel('Status').selectOption('open');
    await staff.getByLabel('Patient or claim number').fill('C-00000004');
    await staff.getByRole('button', { name: 'Show claims' }).click();
    await staff.getByTestId('claims-found').filter({ hasText: /^1 claim found/ }).waitFor();
    await staff.getByRole('link', { name: 'C-00000004' }).click();
    await staff.getByRole('heading', { name: 'Claim C-00000004', level: 1 }).waitFor();
    const history = staff.getByRole('table', { name: 'What each import did to this claim, oldest first' });
    await history.waitFor();
    const rows = history.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toMatch(/Created.*monday\.csv/);
    expect(await rows.nth(1).textContent()).toMatch(/Changed.*tuesday\.csv.*Balance \$[\d,.]+ → \$[\d,.]+/);
    await staff.getByRole('link', { name: 'Receivables', exact: true }).first().waitFor();
    await expectAxeClean(staff, "a claim's history");
  });
});

describe('payers', () => {
  it('lists payers with claims and balances; an administrator marks one inactive and merges two', async () => {
    const before = (await client(stack.url, stack.staff).get('/payers')).body.items;
    const aetna = before.find((p: any) => p.name === 'Aetna');
    const cigna = before.find((p: any) => p.name === 'Cigna');
    await open(staff, '#/payers', 'Payers');
    const row = staff.getByRole('row').filter({ hasText: 'Aetna' });
    expect(await row.textContent()).toContain(money(aetna.openBalanceCents));
    expect(await staff.getByRole('button', { name: /^Mark / }).count()).toBe(0);
    await expectAxeClean(staff, 'the payers page (staff)');

    await open(admin, '#/payers', 'Payers');
    await admin.getByRole('button', { name: 'Mark inactive: Aetna' }).click();
    await admin.getByRole('status').filter({ hasText: 'Aetna is now inactive.' }).waitFor();
    await admin.getByRole('button', { name: 'Mark active: Aetna' }).waitFor();
    await expectAxeClean(admin, 'the payers page (administrator)');

    await admin.getByLabel('Payer to merge away').selectOption({ label: 'Cigna' });
    await admin.getByLabel('Into').selectOption({ label: 'Aetna' });
    admin.once('dialog', (d) => void d.accept());
    await admin.getByRole('button', { name: 'Merge payers' }).click();
    await admin.getByRole('status').filter({ hasText: `Cigna was merged into Aetna: ${cigna.claims} claims moved.` }).waitFor();
    expect(await admin.getByRole('row').filter({ hasText: 'Cigna' }).count()).toBe(0);
    const after = (await client(stack.url, stack.staff).get('/payers')).body.items;
    expect(after.find((p: any) => p.id === aetna.id).openBalanceCents).toBe(aetna.openBalanceCents + cigna.openBalanceCents);
  });
});

describe("a patient's page", () => {
  it('shows their claims, credits, the credits applied and refunds, with the totals', async () => {
    const adminId = stack.seed.users.find((u) => u.role === 'admin')!.id;
    const fx = await insertPatientFixture(stack.db.handle.pool, stack.seed.practice.id, adminId, {
      owedCents: 12_345,
      overpaidCents: 2_000,
      creditCents: 5_000,
    });
    const api = client(stack.url, stack.staff);
    expect((await api.post(`/claims/${fx.owedClaimId}/payments`, { method: 'patient_credit', creditId: fx.creditId, amountCents: 3_000 })).status).toBe(201);
    await open(staff, '#/patients', 'Patients');
    await staff.getByLabel('Name or account number').fill('Fixture');
    await staff.getByRole('button', { name: 'Find' }).click();
    await staff.getByRole('link', { name: 'Patient, Fixture' }).waitFor();
    await expectAxeClean(staff, 'the patients found');
    await staff.getByRole('link', { name: 'Patient, Fixture' }).click();
    await staff.getByRole('heading', { name: 'Patient, Fixture', level: 1 }).waitFor();
    // owed $123.45 − $30.00 applied, overpaid −$20.00
    expect(await staff.getByTestId('patient-owes').textContent()).toBe('$73.45');
    expect(await staff.getByTestId('patient-credit').textContent()).toBe('$20.00');
    const payments = staff.getByRole('table', { name: 'Credits applied and refunds, newest first' });
    expect(await payments.locator('tbody tr').first().textContent()).toMatch(/Credit applied.*\$30\.00.*Alex Admin|Credit applied.*\$30\.00/);
    await expectAxeClean(staff, "a patient's page");
  });
});

describe('the imports list', () => {
  it('narrows the list by kind, status, location and uploader', async () => {
    await open(staff, '#/', 'Imports');
    const list = staff.getByRole('table', { name: 'Imports, newest first' });
    await list.getByRole('link', { name: 'tuesday.csv' }).waitFor();
    await staff.getByLabel('Kind', { exact: true }).selectOption('patients');
    await staff.getByText('No import matches these filters.').waitFor();
    await staff.getByLabel('Kind', { exact: true }).selectOption('aging');
    await staff.getByLabel('Uploaded by').selectOption({ index: 1 });
    await staff.getByLabel('At location').selectOption({ label: locName });
    await list.getByRole('link', { name: 'monday.csv' }).waitFor();
    expect(await list.locator('tbody tr').count()).toBe(2);
    await expectAxeClean(staff, 'the imports page with filters');
    await staff.getByRole('button', { name: 'Clear filters' }).click();
    await list.getByRole('link', { name: 'monday.csv' }).waitFor();
  });
});
