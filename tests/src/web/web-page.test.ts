import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expectAxeClean } from '../support/axe.js';
import { ensureWebBuilt, launchBrowser, screenshot, WEB_DIST, type TestBrowser, signInWithToken } from '../support/browser.js';
import { generateAgingCsv } from '../support/generate.js';
import { client, SAMPLES, waitForImport } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// The page staff use, driven in a real (headless) chromium against the API serving apps/web/dist.
// Every wait is for a state on the page, never for a length of time.

const MAX_UPLOAD_BYTES = 100_000;
const BAD_ROWS = [
  'Claim Number,Patient Account,Patient Name,Date of Birth,Payer,Date of Service,Billed Amount,Balance',
  'X-1,A1,"Doe, Jane",01/02/1960,Aetna,02/30/2026,10.00,abc',
  'X-2,A2,"Roe, Rich",01/02/1961,Aetna,03/03/2026,10.00,5.00',
  'X-2,A2,"Roe, Rich",01/02/1961,Aetna,03/03/2026,10.00,5.00',
  ',A3,"Poe, Ed",01/02/1962,,03/03/2026,10.00,5.00',
].join('\r\n');

let stack: TestStack;
let browser: TestBrowser;
let staff: Page;

beforeAll(async () => {
  ensureWebBuilt();
  // Long only the first time on a fresh machine, when chromium is installed.
  browser = await launchBrowser();
  // One attempt per job, so an import the test breaks fails at once and waits for an admin's Retry.
  stack = await startTestStack({
    env: { WEB_DIR: WEB_DIST, JOB_ATTEMPTS: '1', MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) },
  });
  staff = await browser.newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});


async function upload(
  page: Page,
  file: string | { name: string; mimeType: string; buffer: Buffer },
  location = 'Main Street',
) {
  await page.goto(`${stack.url}/#/`);
  await page.getByLabel('Location', { exact: true }).selectOption({ label: location });
  await page.getByLabel('File', { exact: true }).setInputFiles(file);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
}

const importRow = (page: Page, fileName: string) =>
  page.getByRole('row').filter({ has: page.getByRole('link', { name: fileName, exact: true }) });

async function noSidewaysScroll(page: Page): Promise<void> {
  const [scrollWidth, innerWidth] = await page.evaluate<[number, number]>(
    '[document.documentElement.scrollWidth, window.innerWidth]',
  );
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

describe('the web page', () => {
  it("refuses a wrong password in the server's words, then signs in and shows the practice and the role", async () => {
    await staff.goto(`${stack.url}/`);
    await staff.getByRole('heading', { name: 'Sign in to Ledgerport' }).waitFor();
    await screenshot(staff, 'sign-in-1280');
    await expectAxeClean(staff, 'the sign-in page');
    await staff.getByLabel('Email').fill('staff@demo-eye-care.test');
    await staff.getByLabel('Password', { exact: true }).fill('not the password');
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.getByRole('alert').filter({ hasText: 'That email and password do not match' }).waitFor();
    await expectAxeClean(staff, 'the sign-in page with a refusal');

    await signInWithToken(staff, stack, stack.staff);
    const header = staff.getByRole('banner');
    await header.getByText('Demo Eye Care').waitFor();
    await header.getByText('staff', { exact: true }).waitFor();
    await header.getByText('Sam Staff').waitFor();
    // Nothing secret is within the page's reach: the session cookie is HttpOnly.
    expect(await staff.evaluate('document.cookie')).toBe('');
    expect(await staff.evaluate('JSON.stringify(sessionStorage)')).not.toMatch(/lp_staff_/);
  });

  it('uploads the generic aging sample and follows its progress bar to completed', async () => {
    await upload(staff, path.join(SAMPLES, 'aging-generic.csv'));
    await staff.getByRole('status').filter({ hasText: 'Uploaded aging-generic.csv' }).waitFor();
    const row = importRow(staff, 'aging-generic.csv');
    await row.getByText('Completed', { exact: true }).waitFor();
    await row.locator('[role=progressbar][aria-valuenow="100"]').waitFor();
    expect(await row.textContent()).toMatch(/Insurance aging.*Main Street.*Sam Staff.*12 rows · done/s);
    await staff.locator('[data-testid=announcer]').filter({ hasText: 'aging-generic.csv: Completed.' }).waitFor();
    await screenshot(staff, 'imports-1280');
    await expectAxeClean(staff, 'the imports page');
  });

  it('shows the rejected rows of a file with bad rows, and downloads them as CSV', async () => {
    // Into a location with no open claims: a file with bad rows that closed claims would wait for an admin.
    await upload(staff, { name: 'bad-rows.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_ROWS) }, 'Riverside');
    const row = importRow(staff, 'bad-rows.csv');
    await row.getByText('Completed', { exact: true }).waitFor();
    await row.getByRole('link', { name: 'bad-rows.csv' }).click();

    await staff.getByRole('heading', { name: 'bad-rows.csv', level: 1 }).waitFor();
    // Three errors on two rows; the row with no payer is the patient's own balance (self-pay), applied.
    // Errors (rows not applied) apart from warnings, one line per message first, then row by row.
    await staff.getByRole('heading', { name: 'Rows not applied: errors (3)' }).waitFor();
    await staff.getByRole('table', { name: 'Errors by message' }).waitFor();
    await expectAxeClean(staff, 'an import with rejected rows');
    await staff.getByLabel('One line per message').uncheck();
    const errors = staff.getByRole('table', { name: 'Row errors' });
    await errors.waitFor();
    expect(await errors.locator('tbody tr').count()).toBe(3);
    expect(await errors.locator('tbody tr').nth(1).textContent()).toMatch(/2\s*Balance\s*abc.*not an amount of money/);
    await staff.getByRole('heading', { name: 'What this import changed' }).waitFor();

    const [download] = await Promise.all([
      staff.waitForEvent('download'),
      staff.getByRole('button', { name: 'Download the errors as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('bad-rows (errors).csv');
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
    expect(csv.split('\r\n')[0]).toMatch(/^Row,Column,Value,Message\b/);
    expect(csv).toContain('2,Balance,abc,');
    expect(csv.trim().split('\r\n')).toHaveLength(4);
    await screenshot(staff, 'import-detail-1280');
  });

  it("refuses an empty or too-big file before sending it, and shows the server's refusals in its words", async () => {
    const posts: string[] = [];
    staff.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/imports')) posts.push(r.url());
    });
    await upload(staff, { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await staff.getByRole('alert').filter({ hasText: 'empty.csv is empty' }).waitFor();
    expect(posts).toEqual([]);

    const big = Buffer.from(generateAgingCsv({ rows: 1500, startAt: 90_000 }));
    expect(big.length).toBeGreaterThan(MAX_UPLOAD_BYTES);
    await upload(staff, { name: 'too-big.csv', mimeType: 'text/csv', buffer: big });
    // Refused by the page when the server publishes its limit (GET /config), else by the server (413).
    await staff.getByRole('alert').filter({ hasText: '97.7 KB' }).waitFor();
    await screenshot(staff, 'upload-refused-1280');

    // The server's refusal, in its words, with the way to the earlier import.
    await upload(staff, path.join(SAMPLES, 'aging-generic.csv'));
    const refusal = staff
      .getByRole('alert')
      .filter({ hasText: /This exact file was already imported for Main Street on \d\d\/\d\d\/\d{4}\./ });
    await refusal.waitFor();
    await refusal.getByRole('link', { name: 'Open the earlier import' }).click();
    await staff.getByRole('heading', { name: 'aging-generic.csv', level: 1 }).waitFor();
  });

  it('groups notifications per import, counts them on the bell, marks one and then all read', async () => {
    // The two completed imports: the new payers of the generic sample are in its "completed", not one each.
    const { unread, items } = (await client(stack.url, stack.staff).get('/notifications')).body;
    expect(unread).toBe(2);
    expect(items.map((n: any) => n.kind)).toEqual(['import_completed', 'import_completed']);
    const bell = staff.getByRole('link', { name: `Notifications: ${unread} unread` });
    await bell.click();
    await staff.getByRole('heading', { name: `Notifications (${unread} unread)` }).waitFor();
    await staff.getByText('Import completed · 8 new payers').waitFor();
    await staff.getByText(/aging-generic\.csv was imported: 12 new, .* 8 new payers: Aetna, /).waitFor();
    await screenshot(staff, 'notifications-1280');
    await expectAxeClean(staff, 'the notifications');
    await staff.getByRole('button', { name: 'Mark as read' }).first().click();
    await staff.getByRole('heading', { name: `Notifications (${unread - 1} unread)` }).waitFor();
    await staff.getByRole('link', { name: `Notifications: ${unread - 1} unread` }).waitFor();
    await staff.getByRole('button', { name: 'Mark all as read' }).click();
    await staff.getByRole('heading', { name: 'Notifications', exact: true }).waitFor();
    await staff.getByRole('link', { name: 'Notifications: none unread' }).waitFor();
    await staff.getByRole('link', { name: 'Open the import' }).first().click();
    await staff.getByRole('heading', { name: 'bad-rows.csv', level: 1 }).waitFor();
  });

  it('previews a patients file, then Save applies it; Discard drops another', async () => {
    await staff.goto(`${stack.url}/#/`);
    await staff.getByLabel('What the file holds').selectOption({ label: 'Patients' });
    expect(await staff.getByLabel('Location', { exact: true }).isVisible()).toBe(false);
    expect(await staff.getByLabel('Show me a preview first; I will press Save').isChecked()).toBe(true);
    await staff.getByLabel('File', { exact: true }).setInputFiles(path.join(SAMPLES, 'patients-cashpractice.csv'));
    await staff.getByRole('button', { name: 'Upload', exact: true }).click();
    const row = importRow(staff, 'patients-cashpractice.csv');
    await row.getByText('Ready for review', { exact: true }).waitFor();
    await row.getByRole('link').click();
    await staff.getByRole('heading', { name: 'Preview: nothing is saved yet' }).waitFor();
    await staff.getByRole('table', { name: /^The first \d+ rows$/ }).waitFor();
    await screenshot(staff, 'preview-1280');
    await expectAxeClean(staff, 'a preview waiting for Save');
    // The sample rows are wider than the panel: they scroll sideways, and a line says so.
    await staff.getByRole('region', { name: /^The first \d+ rows \(scrolls sideways\)$/ }).waitFor();
    await staff.getByText('Scroll sideways for more columns →').waitFor();
    // Flags read Yes or No and dates MM/DD/YYYY, as everywhere on the page.
    const cells = await staff.getByRole('table', { name: /^The first \d+ rows$/ }).locator('tbody td').allTextContents();
    expect(cells).toContain('Yes');
    expect(cells.filter((c) => /^(true|false)$|^\d{4}-\d\d-\d\d$/.test(c.trim()))).toEqual([]);
    await staff.getByRole('button', { name: 'Save' }).click();
    await staff.locator('.title').getByText('Completed', { exact: true }).waitFor();
    await staff.getByRole('heading', { name: 'What this import changed' }).waitFor();
    // Once saved, nothing still says it is saving, and nothing suggests a second try failed.
    expect(await staff.getByText(/Saving/).count()).toBe(0);
    expect(await staff.getByText(/^(Mode|Tries|Attempts)$/).count()).toBe(0);

    await staff.goto(`${stack.url}/#/`);
    await staff.getByLabel('What the file holds').selectOption({ label: 'Patient balances' });
    await staff.getByLabel('File', { exact: true }).setInputFiles(path.join(SAMPLES, 'patient-balances.csv'));
    await staff.getByRole('button', { name: 'Upload', exact: true }).click();
    await importRow(staff, 'patient-balances.csv').getByText('Ready for review', { exact: true }).waitFor();
    await importRow(staff, 'patient-balances.csv').getByRole('link').click();
    await staff.getByRole('heading', { name: 'Preview: nothing is saved yet' }).waitFor();
    staff.once('dialog', (d) => void d.accept());
    await staff.getByRole('button', { name: 'Discard' }).click();
    await staff.locator('.title').getByText('Discarded', { exact: true }).waitFor();
    await staff.getByRole('status').filter({ hasText: 'The preview was set aside after review; nothing from the file was saved.' }).waitFor();
    // a normal choice, said once and calmly: no alert, and no second message saying it again
    expect(await staff.getByRole('alert').count()).toBe(0);
    expect(await staff.locator('.detail .notice').filter({ hasText: /discard|set aside/i }).count()).toBe(1);
  });

  it('labels every control and reaches the upload form by keyboard', async () => {
    await staff.goto(`${stack.url}/#/`);
    await importRow(staff, 'aging-generic.csv').waitFor();
    const unlabelled = await staff.evaluate(`[...document.querySelectorAll('input, select, textarea, button, a[href]')]
      .filter((el) => !el.hidden && el.getClientRects().length > 0)
      .filter((el) => !((el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.textContent.trim()))
      .map((el) => el.outerHTML)`);
    expect(unlabelled).toEqual([]);

    await staff.getByRole('link', { name: 'Ledgerport' }).focus();
    const reached: string[] = [];
    for (let i = 0; i < 20 && !reached.includes('Upload'); i++) {
      await staff.keyboard.press('Tab');
      reached.push(
        await staff.evaluate<string>(
          `(() => { const el = document.activeElement; return (el.labels && el.labels[0] && el.labels[0].textContent) || el.getAttribute('aria-label') || el.textContent; })()`,
        ),
      );
    }
    expect(reached).toEqual(
      expect.arrayContaining(['What the file holds', 'Location', 'Exported from (PM system)', 'File', 'Upload']),
    );
  });

  it('fits a 390 px wide phone without sideways scrolling', async () => {
    const phone = await browser.newPage(390, 844);
    await signInWithToken(phone, stack, stack.staff);
    await importRow(phone, 'aging-generic.csv').getByText('Completed', { exact: true }).waitFor();
    await noSidewaysScroll(phone);
    await screenshot(phone, 'imports-390');
    await importRow(phone, 'bad-rows.csv').getByRole('link').click();
    await phone.getByRole('heading', { name: 'Rows not applied: errors (3)' }).waitFor();
    await noSidewaysScroll(phone);
    await screenshot(phone, 'import-detail-390');
    await phone.goto(`${stack.url}/#/notifications`);
    await phone.getByRole('heading', { name: /^Notifications/ }).waitFor();
    await noSidewaysScroll(phone);
    await phone.close();
  });

  it('shows staff a failed import without Retry; an admin retries it and it completes', async () => {
    const pool = stack.db.handle.pool;
    // A failure a retry can fix: claims cannot be written until the trigger is dropped.
    await pool.query(
      `create function lp_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'claims are locked by the test'; end $$`,
    );
    await pool.query(
      `create trigger lp_test_refuse before insert on claims for each row execute function lp_test_refuse()`,
    );
    const up = await client(stack.url, stack.staff).upload(
      generateAgingCsv({ rows: 40, startAt: 5000 }),
      { kind: 'aging', locationId: 'Riverside' },
      'riverside-nightly.csv',
    );
    expect(up.status).toBe(202);
    expect((await waitForImport(stack.url, stack.staff, up.body.id)).status).toBe('failed');

    await staff.goto(`${stack.url}/#/attention`);
    const staffRow = importRow(staff, 'riverside-nightly.csv');
    await staffRow.getByText('Failed', { exact: true }).waitFor();
    await staff.getByText('An administrator of your practice can retry or cancel these imports.').waitFor();
    expect(await staff.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    expect(await staff.getByRole('link', { name: /Queue dashboard/ }).count()).toBe(0);
    await screenshot(staff, 'attention-staff-1280');
    await staffRow.getByRole('link').click();
    await staff.locator('.title').getByText('Failed', { exact: true }).waitFor();
    expect(await staff.getByRole('button', { name: /Retry/ }).count()).toBe(0);

    await pool.query('drop trigger lp_test_refuse on claims');
    await pool.query('drop function lp_test_refuse()');

    const admin = await browser.newPage();
    await signInWithToken(admin, stack, stack.admin);
    await admin.getByRole('banner').getByText('admin', { exact: true }).waitFor();
    await admin.getByRole('link', { name: 'Needs attention' }).click();
    await admin.getByRole('button', { name: 'Retry riverside-nightly.csv' }).waitFor();
    // The queue dashboard shows every practice's jobs: it is for operators, never linked for an admin.
    expect(await admin.getByRole('link', { name: /Queue dashboard/ }).count()).toBe(0);
    expect(await admin.locator('a[href^="/admin"]').count()).toBe(0);
    await screenshot(admin, 'attention-admin-1280');
    await admin.getByRole('button', { name: 'Retry riverside-nightly.csv' }).click();
    await admin.getByRole('status').filter({ hasText: 'riverside-nightly.csv is queued again' }).waitFor();
    await admin
      .getByRole('link', { name: 'riverside-nightly.csv' })
      .or(admin.getByText('No import has failed.'))
      .first()
      .waitFor();
    await admin.goto(`${stack.url}/#/imports/${up.body.id}`);
    await admin.locator('.title').getByText('Completed', { exact: true }).waitFor();
    await admin.getByRole('heading', { name: 'What this import changed' }).waitFor();
    expect((await waitForImport(stack.url, stack.admin, up.body.id)).summary).toMatchObject({ claimsNew: 40 });
    // The staff member's page, still open on the import, follows it to completed by itself.
    await staff.locator('.title').getByText('Completed', { exact: true }).waitFor();
    await admin.close();
  });

  it('maps the columns of an unknown layout by their names: the file is read again, and a later export with its columns moved too', async () => {
    const own = ['Ref,Who,Insurer,Seen On,Owed', 'M-1,"Doe, Jane",Aetna,03/03/2026,10.00', 'M-2,"Roe, Rich",Cigna,03/04/2026,20.00'].join('\r\n');
    await upload(staff, { name: 'own-layout.csv', mimeType: 'text/csv', buffer: Buffer.from(own) }, 'Riverside');
    const row = importRow(staff, 'own-layout.csv');
    await row.getByText('Failed', { exact: true }).waitFor();
    await row.getByRole('link', { name: 'own-layout.csv' }).click();
    expect(await staff.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await staff.getByRole('link', { name: 'Map the columns', exact: true }).click();
    await staff.getByRole('heading', { name: 'Map the columns of own-layout.csv' }).waitFor();
    await staff.getByLabel('Claim Number (required)').selectOption('Ref');
    await staff.getByLabel('Patient Name (required)').selectOption('Who');
    await staff.getByLabel('Payer (required)').selectOption('Insurer');
    await staff.getByLabel('Date of Service (required)').selectOption('Seen On');
    await staff.getByLabel('Balance (required)').selectOption('Owed');
    await expectAxeClean(staff, 'the mapping screen');
    await staff.getByRole('button', { name: 'Save the mapping and read the file again' }).click();
    await staff.getByRole('heading', { name: 'own-layout.csv', level: 1 }).waitFor();
    await staff.locator('.title').getByText('Completed', { exact: true }).waitFor();

    // The next export has its columns in another order and one more: the mapping still reads it.
    const later = ['Owed,Branch,Seen On,Who,Ref,Insurer', '30.00,North,03/05/2026,"Poe, Ed",M-3,Aetna', '10.00,North,03/03/2026,"Doe, Jane",M-1,Aetna'].join('\r\n');
    const up = await client(stack.url, stack.staff).upload(later, { kind: 'aging', locationId: 'Riverside' }, 'own-layout-later.csv');
    expect(up.status).toBe(202);
    const done = await waitForImport(stack.url, stack.staff, up.body.id);
    expect(done).toMatchObject({ status: 'completed', format: expect.stringMatching(/^mapping:/), summary: { claimsNew: 1, claimsUnchanged: 1 } });
  });

  it('signs out, ending the session on the server', async () => {
    await staff.getByRole('button', { name: 'Sign out' }).click();
    await staff.getByRole('heading', { name: 'Sign in to Ledgerport' }).waitFor();
    expect(await staff.context().cookies()).toEqual([]);
    await staff.reload();
    await staff.getByRole('heading', { name: 'Sign in to Ledgerport' }).waitFor();
  });
});
