import type { Page } from 'playwright-core';
import { expectAxeClean } from '../support/axe.js';
import { ensureWebBuilt, launchBrowser, screenshot, WEB_DIST, type TestBrowser, signInWithToken, staffAndAdminPages } from '../support/browser.js';
import { generateAgingCsv } from '../support/generate.js';
import { client } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { waitUntil } from '../support/wait.js';

// Every state of an import, screen by screen, as staff and an administrator read it. No worker runs:
// each import is uploaded (so it is queued) and then put in the state under test, so the page is
// shown exactly that state. Every screen is checked with axe-core. Waits are on the page, never on time.

let stack: TestStack;
let browser: TestBrowser;
let staff: Page;
let admin: Page;
let n = 0;

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;

beforeAll(async () => {
  ensureWebBuilt();
  browser = await launchBrowser();
  stack = await startTestStack({ worker: false, env: { WEB_DIR: WEB_DIST } });
  ({ staff, admin } = await staffAndAdminPages(browser, stack));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});


/** An import of the staff user, uploaded (queued: no worker takes it) and then set as `sets` says. */
async function importIn(name: string, sets: string, params: unknown[] = []): Promise<string> {
  const up = await client(stack.url, stack.staff).upload(generateAgingCsv({ rows: 3, startAt: 100 * ++n }), { kind: 'aging', locationId: 'Main Street' }, name);
  expect(up.status).toBe(202);
  if (sets) await q(`update imports set ${sets} where id = $1`, [up.body.id, ...params]);
  return up.body.id as string;
}

const SUMMARY = (o: Record<string, number>) => JSON.stringify({ claimsNew: 0, claimsUpdated: 0, claimsUnchanged: 0, claimsResolved: 0, payersCreated: 0, ...o });

async function open(page: Page, id: string, fileName: string): Promise<void> {
  await page.goto(`${stack.url}/#/imports/${id}`);
  await page.getByRole('heading', { name: fileName, level: 1 }).waitFor();
}

const badge = (page: Page) => page.locator('.title .badge');
const state = (page: Page) => page.locator('.detail > .notice').first();

describe('each state has its own true words', () => {
  it('queued', async () => {
    const id = await importIn('queued.csv', '');
    await open(staff, id, 'queued.csv');
    expect(await badge(staff).textContent()).toBe('Queued');
    expect(await state(staff).textContent()).toBe('Queued. Waiting for a worker to start reading the file. Nothing is applied yet.');
    await staff.getByText('0% Waiting for a worker').waitFor();
    await expectAxeClean(staff, 'a queued import');
  });

  it('running: rows of the total, a percentage that follows them', async () => {
    const id = await importIn(
      'running.csv',
      `status = 'running', phase = 'staging', started_at = now(), phase_started_at = now(), size_bytes = 1500000, bytes_read = 150000, rows_read = 15000, rows_accepted = 15000`,
    );
    await open(staff, id, 'running.csv');
    expect(await badge(staff).textContent()).toBe('Running');
    await staff.getByText(/^10% Reading · 15,000 of about 150,000 rows/).waitFor();
    // no time left in the first seconds: it would only jump about
    expect(await staff.locator('.progress-text').textContent()).not.toMatch(/left/);
    await expectAxeClean(staff, 'a running import');
    await screenshot(staff, 'state-running-1280');
  });

  it('ready for review', async () => {
    const id = await importIn(
      'preview.csv',
      `status = 'ready', phase = 'staged', mode = 'preview', started_at = now(), rows_read = 3, rows_accepted = 3, bytes_read = size_bytes`,
    );
    await open(staff, id, 'preview.csv');
    expect(await badge(staff).textContent()).toBe('Ready for review');
    expect(await state(staff).textContent()).toBe(
      'Ready for review. 3 rows read and checked. Nothing is saved yet: look at the preview below, then press Save or Discard.',
    );
    await staff.getByRole('heading', { name: 'Preview: nothing is saved yet' }).waitFor();
    await staff.getByRole('button', { name: 'Save', exact: true }).waitFor();
    await expectAxeClean(staff, 'an import ready for review');
  });

  it('saving', async () => {
    const id = await importIn(
      'saving.csv',
      `status = 'running', phase = 'committing', started_at = now(), phase_started_at = now(), mode = 'commit', rows_read = 2000, rows_accepted = 2000, rows_committed = 500, bytes_read = size_bytes`,
    );
    await open(staff, id, 'saving.csv');
    expect(await badge(staff).textContent()).toBe('Saving');
    await staff.getByText(/^25% Saving · 500 of 2,000 rows/).waitFor();
    expect(await state(staff).textContent()).toContain('Saving the checked rows.');
    expect(await staff.getByText('Mode', { exact: true }).count()).toBe(0);
    await expectAxeClean(staff, 'an import being saved');
  });

  it('saving: closing the snapshot, claims checked and then resolved', async () => {
    const id = await importIn(
      'closing.csv',
      `status = 'running', phase = 'committing', started_at = now(), phase_started_at = now(), mode = 'commit', rows_read = 2000, rows_accepted = 2000, rows_committed = 2000, bytes_read = size_bytes, counters = $2`,
      [{ claimsChecked: 1400 }],
    );
    await open(staff, id, 'closing.csv');
    expect(await badge(staff).textContent()).toBe('Saving');
    await staff.getByText(/Checking which claims the file no longer lists · 1,400 claims checked/).waitFor();
    await q(`update imports set counters = $2 where id = $1`, [id, { claimsChecked: 2400, claimsToResolve: 400, claimsResolved: 150 }]);
    await staff.getByText(/Resolving the claims the file no longer lists · 150 of 400/).waitFor();
    await expectAxeClean(staff, 'an import closing its snapshot');
  });

  it('completed, and completed with rejected rows', async () => {
    const ok = await importIn(
      'done.csv',
      `status = 'completed', phase = 'done', finished_at = now(), rows_read = 150000, rows_accepted = 150000, rows_committed = 150000, attempts = 2, summary = $2, counters = $2`,
      [SUMMARY({ claimsNew: 150000, centsInFile: 1234567, balanceCentsApplied: 1234567 })],
    );
    await open(staff, ok, 'done.csv');
    expect(await badge(staff).textContent()).toBe('Completed');
    expect(await state(staff).textContent()).toBe('Completed. All 150,000 rows and $12,345.67 in the file were applied.');
    await staff.getByText('150,000 rows · done').waitFor();
    // a second try while it ran is not a failure
    expect(await staff.getByText('Tries', { exact: true }).count()).toBe(0);
    await expectAxeClean(staff, 'a completed import');

    const some = await importIn(
      'some-rejected.csv',
      `status = 'completed', phase = 'done', finished_at = now(), rows_read = 12, rows_accepted = 10, rows_rejected = 2, rows_committed = 10, summary = $2, counters = $2`,
      [SUMMARY({ claimsNew: 10, centsInFile: 1000, balanceCentsApplied: 800 })],
    );
    await open(staff, some, 'some-rejected.csv');
    expect(await state(staff).textContent()).toBe(
      'Completed with rejected rows. 2 rows were rejected and not applied; everything else was applied. Fix them and upload them again.',
    );
    await expectAxeClean(staff, 'an import completed with rejected rows');

    const forgotten = await importIn(
      'forgotten.csv',
      `status = 'completed', phase = 'done', finished_at = now() - interval '31 days', file_deleted_at = '2026-11-30T15:00:00Z', rows_read = 3, rows_accepted = 3, rows_committed = 3, summary = $2, counters = $2`,
      [SUMMARY({ claimsNew: 3, centsInFile: 300, balanceCentsApplied: 300 })],
    );
    await open(staff, forgotten, 'forgotten.csv');
    await staff.getByText('File deleted', { exact: true }).waitFor();
    expect(await staff.locator('dt:text-is("File deleted") + dd').textContent()).toMatch(/; what it imported stays$/);
    await expectAxeClean(staff, 'an import whose file was deleted');
  });

  it('keeps every amount and count on one line, even on a phone', async () => {
    const id = await importIn(
      'big-money.csv',
      `status = 'completed', phase = 'done', finished_at = now(), rows_read = 1234567, rows_accepted = 1234560, rows_rejected = 7, rows_committed = 1234560, summary = $2, counters = $2`,
      [SUMMARY({ claimsNew: 1234560, claimsUpdated: 1234567, balanceCentsInFile: 1234567890123, balanceCentsApplied: 1234567880123 })],
    );
    const phone = await browser.newPage(390, 844);
    await signInWithToken(phone, stack, stack.staff);
    await open(phone, id, 'big-money.csv');
    await phone.getByRole('heading', { name: 'Reconciliation' }).waitFor();
    // A figure broken over two lines has text on two line boxes: two tops.
    const broken = await phone.evaluate<string[]>(`[...document.querySelectorAll('.tile .n, dl.facts dd')]
      .filter((el) => /^[$\d]/.test(el.textContent.trim()) && /\d/.test(el.textContent))
      .filter((el) => { const r = document.createRange(); r.selectNodeContents(el); return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1; })
      .map((el) => el.textContent)`);
    expect(broken).toEqual([]);
    await phone.close();
  });

  it('failed for a reason outside the file: Retry for an administrator, not for staff', async () => {
    const id = await importIn('outage.csv', `status = 'failed', finished_at = now(), last_error = 'The database stopped answering.', last_error_code = 'database_unavailable'`);
    await open(staff, id, 'outage.csv');
    expect(await badge(staff).textContent()).toBe('Failed');
    await staff.getByText('This did not fail because of the file: an administrator of your practice can retry it').waitFor();
    expect(await staff.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await expectAxeClean(staff, 'a failed import (staff)');
    await open(admin, id, 'outage.csv');
    await admin.getByRole('button', { name: 'Retry outage.csv' }).waitFor();
    await expectAxeClean(admin, 'a failed import (admin)');
  });

  it('failed for the file itself: no Retry, "Fix and upload again", and an administrator dismisses it', async () => {
    const id = await importIn(
      'report.pdf',
      `status = 'failed', finished_at = now(), last_error = 'This is a PDF, not a spreadsheet. Export the report as CSV or Excel.', last_error_code = 'not_a_spreadsheet'`,
    );
    await admin.goto(`${stack.url}/#/attention`);
    const row = admin.getByRole('row').filter({ has: admin.getByRole('link', { name: 'report.pdf', exact: true }) });
    await row.getByText('Failed', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await expectAxeClean(admin, 'needs attention');
    await open(admin, id, 'report.pdf');
    await admin.getByRole('heading', { name: 'What to do' }).waitFor();
    await admin.getByText('Retrying would read the same file and fail again.').waitFor();
    await admin.getByRole('link', { name: 'Upload a file' }).waitFor();
    expect(await admin.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await admin.getByRole('button', { name: 'Dismiss report.pdf' }).click();
    await admin.getByRole('status').filter({ hasText: 'report.pdf is dismissed' }).waitFor();
    await admin.goto(`${stack.url}/#/attention`);
    await admin.getByRole('heading', { name: /^Failed \(\d+\)$/ }).waitFor();
    expect(await admin.getByRole('link', { name: 'report.pdf', exact: true }).count()).toBe(0);
    expect((await client(stack.url, stack.admin).get(`/imports/${id}`)).body.dismissed).toMatchObject({ at: expect.any(String) });
  });

  it('cancelled, discarded and reverted each say what became of the file, calmly', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['cancelled.csv', `status = 'cancelled', phase = 'done', finished_at = now(), last_error = 'Cancelled before it was applied; nothing from this file was applied.', last_error_code = 'cancelled'`, 'Cancelled', 'Cancelled. Nothing from this file is applied.'],
      ['discarded.csv', `status = 'cancelled', phase = 'done', finished_at = now(), last_error = 'Discarded after review; nothing from this file was applied.', last_error_code = 'discarded'`, 'Discarded', 'Discarded. The preview was set aside after review; nothing from the file was saved.'],
      ['reverted.csv', `status = 'reverted', phase = 'done', finished_at = now(), reverted_at = now()`, 'Reverted', 'Reverted. What it applied was undone by an administrator; nothing of it is applied now.'],
    ];
    for (const [name, sets, label, sentence] of cases) {
      const id = await importIn(name, sets);
      await open(staff, id, name);
      expect(await badge(staff).textContent()).toBe(label);
      expect(await state(staff).textContent()).toBe(sentence);
      // a normal outcome is no alarm
      expect(await staff.getByRole('alert').count()).toBe(0);
      await expectAxeClean(staff, `a ${label.toLowerCase()} import`);
    }
  });
});

describe('the upload form', () => {
  it('says a missing location at the Location field, focuses it, and clears it once one is chosen', async () => {
    await staff.goto(`${stack.url}/#/`);
    await staff.getByLabel('What the file holds').selectOption({ label: 'Insurance aging' });
    await staff
      .getByLabel('File', { exact: true })
      .setInputFiles({ name: 'no-location.csv', mimeType: 'text/csv', buffer: Buffer.from(generateAgingCsv({ rows: 2, startAt: 9_900 })) });
    await staff.getByRole('button', { name: 'Upload', exact: true }).click();
    const location = staff.getByLabel('Location', { exact: true });
    const field = staff.locator('.field').filter({ has: location });
    const error = field.getByText('Choose the location this file is for.');
    await error.waitFor();
    expect(await location.getAttribute('aria-invalid')).toBe('true');
    expect(await staff.evaluate('document.activeElement.getAttribute("aria-invalid")')).toBe('true');
    await expectAxeClean(staff, 'the upload form with a field in error');
    await location.selectOption({ label: 'Main Street' });
    await error.waitFor({ state: 'hidden' });
    expect(await location.getAttribute('aria-invalid')).toBeNull();
  });

  it('shows the upload itself with its percentage and megabytes while the file is sent', async () => {
    await staff.goto(`${stack.url}/#/`);
    await staff.getByLabel('What the file holds').selectOption({ label: 'Insurance aging' });
    await staff.getByLabel('Location', { exact: true }).selectOption({ label: 'Main Street' });
    const csv = Buffer.from(generateAgingCsv({ rows: 20_000, startAt: 200_000 }));
    expect(csv.length).toBeGreaterThan(1024 ** 2);
    await staff.getByLabel('File', { exact: true }).setInputFiles({ name: 'big-upload.csv', mimeType: 'text/csv', buffer: csv });
    // The server's answer is held back, so the upload is seen while it is under way.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const post = (u: URL) => u.pathname === '/imports';
    await staff.route(post, async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    await staff.getByRole('button', { name: 'Upload', exact: true }).click();
    await staff.locator('.upload-text').filter({ hasText: /^\d{1,3}% · [\d.]+ of [\d.]+ MB$/ }).waitFor();
    expect(await staff.getByRole('progressbar', { name: 'Upload progress' }).isVisible()).toBe(true);
    release();
    await staff.getByRole('status').filter({ hasText: 'Uploaded big-upload.csv' }).waitFor();
    await staff.unroute(post);
  });
});

describe('rows flagged by an import: errors apart from warnings', () => {
  const flag = (id: string, from: number, to: number, column: string, message: string, severity: 'error' | 'warning') =>
    q(
      `insert into import_row_errors (import_id, row_number, column_name, value, message, severity)
       select $1, g, $4, 'x', $5, $6 from generate_series($2::int, $3::int) g`,
      [id, from, to, column, message, severity],
    );

  it('counts 3,705 warnings as warnings, not errors, one line per message', async () => {
    const id = await importIn(
      'warned.csv',
      `status = 'completed', phase = 'done', finished_at = now(), rows_read = 4000, rows_accepted = 4000, rows_committed = 4000, rows_warned = 3706, summary = $2, counters = $2`,
      [SUMMARY({ claimsNew: 4000 })],
    );
    await flag(id, 2, 3706, 'Date of Service', 'The date of service is after the report date', 'warning');
    await flag(id, 3707, 3707, 'Payer', 'The payer name was shortened', 'warning');
    await open(staff, id, 'warned.csv');
    await staff.getByRole('heading', { name: 'Warnings (3,706)' }).waitFor();
    expect(await staff.getByRole('heading', { name: /Rows not applied|errors/i }).count()).toBe(0);
    expect(await staff.getByRole('button', { name: 'Errors (0)' }).isDisabled()).toBe(true);
    await staff.getByText('These rows were applied, but look at them.').waitFor();
    const groups = staff.getByRole('table', { name: 'Warnings by message' });
    expect(await groups.locator('tbody tr').count()).toBe(2);
    expect(await groups.locator('tbody tr').filter({ hasText: 'after the report date' }).textContent()).toMatch(/^3,705\s*Date of Service/);
    await expectAxeClean(staff, 'an import with warnings only');
  });

  it('shows errors first and the warnings at a press, each counted apart', async () => {
    const id = await importIn(
      'mixed.csv',
      `status = 'completed', phase = 'done', finished_at = now(), rows_read = 10, rows_accepted = 9, rows_rejected = 1, rows_committed = 9, rows_warned = 3, summary = $2, counters = $2`,
      [SUMMARY({ claimsNew: 9 })],
    );
    await flag(id, 2, 2, 'Balance', 'This is not an amount of money', 'error');
    await flag(id, 3, 5, 'Date of Service', 'The date of service is after the report date', 'warning');
    await open(staff, id, 'mixed.csv');
    await staff.getByRole('heading', { name: 'Rows not applied: errors (1)' }).waitFor();
    await staff.getByRole('button', { name: 'Download the rejected rows to fix' }).first().waitFor();
    await staff.getByRole('button', { name: 'Warnings (3)' }).click();
    await staff.getByRole('heading', { name: 'Warnings (3)' }).waitFor();
    expect(await staff.getByRole('button', { name: 'Warnings (3)' }).getAttribute('aria-pressed')).toBe('true');
    expect(await staff.getByRole('table', { name: 'Warnings by message' }).locator('tbody tr').textContent()).toMatch(/^3\s*Date of Service/);
    expect(await staff.getByRole('button', { name: 'Download the rejected rows to fix' }).count()).toBe(0);
  });
});

describe('a page that stays truthful while it is watched', () => {
  let id: string;
  beforeAll(async () => {
    id = await importIn(
      'watched.csv',
      `status = 'running', phase = 'staging', started_at = now(), phase_started_at = now(), size_bytes = 1000000, bytes_read = 100000, rows_read = 1000, rows_accepted = 1000`,
    );
  });

  it('clears an error banner with the next good answer', async () => {
    await open(staff, id, 'watched.csv');
    const url = `${stack.url}/imports/${id}`;
    await staff.route(url, (route) => route.fulfill({ status: 502, body: 'Bad Gateway' }));
    const banner = staff.getByRole('alert').filter({ hasText: 'The server answered 502' });
    await banner.waitFor();
    await staff.unroute(url);
    await banner.waitFor({ state: 'detached' });
    await staff.getByText(/Reading · 1,000 of about 10,000 rows/).waitFor();

    // The API away altogether: said while it lasts, gone once it answers, on the import and on the list.
    await staff.route(url, (route) => route.abort('connectionrefused'));
    const away = staff.getByRole('alert').filter({ hasText: 'Ledgerport could not be reached' });
    await away.waitFor();
    await staff.unroute(url);
    await away.waitFor({ state: 'detached' });
    await staff.goto(`${stack.url}/#/`);
    await staff.getByRole('link', { name: 'watched.csv', exact: true }).waitFor();
    const list = (u: URL) => u.pathname === '/imports';
    await staff.route(list, (route) => route.abort('connectionrefused'));
    await away.waitFor();
    await staff.unroute(list);
    await away.waitFor({ state: 'detached' });
    await staff.getByRole('link', { name: 'watched.csv', exact: true }).waitFor();
  });

  it('keeps the keyboard focus where it was across refreshes, with a ring of at least 3:1', async () => {
    await open(staff, id, 'watched.csv');
    // As on the list below: the page puts the focus on its heading once its first answer is drawn, and
    // only then is the focus the reader's to move (moved before, the page took it back or lost it).
    await waitUntil('the heading to have the focus', async () =>
      (await staff.evaluate('document.activeElement && document.activeElement.tagName')) === 'H1',
    );
    const back = staff.getByRole('link', { name: '‹ All imports' });
    await back.focus();
    await staff.keyboard.press('Shift+Tab');
    await staff.keyboard.press('Tab');
    // two refreshes later (it runs: the page asks every 1.5 s), the same link still has the focus
    for (let i = 0; i < 2; i++) await staff.waitForResponse((r) => r.url().endsWith(`/imports/${id}`));
    await staff.locator('.detail').getByText('watched.csv').first().waitFor();
    expect(await staff.evaluate('document.activeElement && document.activeElement.textContent')).toBe('‹ All imports');
    const ratio = await staff.evaluate<number>(`(() => {
      const c = getComputedStyle(document.activeElement).outlineColor.match(/\\d+/g).slice(0, 3).map(Number);
      const lum = (rgb) => { const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      return (1.05) / (lum(c) + 0.05);
    })()`);
    expect(ratio).toBeGreaterThanOrEqual(3);

    // And on the list, which is drawn again at every refresh too.
    await staff.goto(`${stack.url}/#/`);
    // A navigation puts the focus on the new page's heading once its first answer is drawn: only then
    // is the focus the reader's to move.
    // (Polled from here: the page's CSP refuses the eval that page.waitForFunction polls with.)
    await waitUntil('the heading to have the focus', async () =>
      (await staff.evaluate("document.activeElement && document.activeElement.tagName")) === 'H1',
    );
    const link = staff.getByRole('link', { name: 'watched.csv', exact: true });
    await link.focus();
    for (let i = 0; i < 2; i++) await staff.waitForResponse((r) => new URL(r.url()).pathname === '/imports');
    await link.waitFor();
    expect(await staff.evaluate('document.activeElement && document.activeElement.textContent')).toBe('watched.csv');
  });

  it('says completion in the live region', async () => {
    await open(staff, id, 'watched.csv');
    await q(
      `update imports set status = 'completed', phase = 'done', finished_at = now(), rows_committed = 1000, summary = $2, counters = $2 where id = $1`,
      [id, SUMMARY({ claimsNew: 1000, centsInFile: 500, balanceCentsApplied: 500 })],
    );
    await staff.locator('[data-testid=announcer]').filter({ hasText: 'watched.csv: completed.' }).waitFor();
  });

  it('says a failure in the live region, with its reason', async () => {
    const failing = await importIn('failing.csv', `status = 'running', phase = 'staging', started_at = now(), phase_started_at = now(), rows_read = 10, bytes_read = 100`);
    await open(staff, failing, 'failing.csv');
    await q(`update imports set status = 'failed', finished_at = now(), last_error = 'The database stopped answering.', last_error_code = 'database_unavailable' where id = $1`, [failing]);
    await staff.locator('[data-testid=announcer]').filter({ hasText: 'failing.csv: failed. The database stopped answering.' }).waitFor();
  });

  it('returns to the page you were on after signing out and in again', async () => {
    await open(staff, id, 'watched.csv');
    await staff.getByRole('button', { name: 'Sign out' }).click();
    await staff.getByRole('heading', { name: 'Sign in to Ledgerport' }).waitFor();
    const who = stack.seed.users.find((u) => u.token === stack.staff)!;
    await staff.getByLabel('Email').fill(who.email);
    await staff.getByLabel('Password', { exact: true }).fill(who.password);
    await staff.keyboard.press('Enter');
    await staff.getByRole('heading', { name: 'watched.csv', level: 1 }).waitFor();
  });
});

describe('the column-mapping screen of a file whose layout is unknown', () => {
  const HEADER = ['Ref', 'Who', 'Insurer', 'Seen On', 'Owed', 'Branch', 'Clerk', 'Memo', 'Batch', 'Terms', 'Region', 'Desk', 'Code', 'Flag'];
  let id: string;

  beforeAll(async () => {
    id = await importIn(
      'own-layout.csv',
      `status = 'failed', finished_at = now(), last_error = $2, last_error_code = 'unrecognized_layout', header = null, first_rows = $3`,
      [
        'The columns of this file are not ones Ledgerport knows: map the columns yourself for this header.',
        JSON.stringify([HEADER, ['R-1', 'Rivera, Ana', 'Aetna', '09/02/2026', '12.00', 'North', 'A', '', '1', '30', 'N', '2', 'X', 'Y']]),
      ],
    );
  });

  it('is linked from the failure, shows the file, marks the required fields and puts errors at them', async () => {
    await open(staff, id, 'own-layout.csv');
    expect(await staff.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await staff.getByRole('link', { name: 'Map the columns of this file' }).click();
    await staff.getByRole('heading', { name: 'Map the columns of own-layout.csv' }).waitFor();
    const top = staff.getByRole('region', { name: /The header and first rows of the file/ });
    await top.getByText('Rivera, Ana').waitFor();
    await staff.getByLabel('Balance (required)').waitFor();
    expect(await staff.getByLabel('Provider', { exact: true }).count()).toBe(1);
    await staff.getByRole('button', { name: 'Save the mapping and read the file again' }).click();
    const balance = staff.getByLabel('Balance (required)');
    expect(await balance.getAttribute('aria-invalid')).toBe('true');
    await staff.getByText('Choose the column that holds the balance.').waitFor();
    expect(await staff.evaluate('document.activeElement.getAttribute("aria-invalid")')).toBe('true');
    await expectAxeClean(staff, 'the mapping screen with errors');
  });

  it('shows a narrow screen that the file scrolls sideways', async () => {
    const narrow = await browser.newPage(1000, 900);
    await signInWithToken(narrow, stack, stack.staff);
    await narrow.goto(`${stack.url}/#/imports/${id}/map`);
    await narrow.getByText('Scroll sideways for more columns →').waitFor();
    await expectAxeClean(narrow, 'the mapping screen, narrow');
    await narrow.close();
  });

  it('saves the mapping by column names and reads the file again', async () => {
    await open(staff, id, 'own-layout.csv');
    await staff.goto(`${stack.url}/#/imports/${id}/map`);
    await staff.getByLabel('Claim Number (required)').selectOption('Ref');
    await staff.getByLabel('Patient Name (required)').selectOption('Who');
    await staff.getByLabel('Payer (required)').selectOption('Insurer');
    await staff.getByLabel('Date of Service (required)').selectOption('Seen On');
    await staff.getByLabel('Balance (required)').selectOption('Owed');
    await staff.getByRole('button', { name: 'Save the mapping and read the file again' }).click();
    await staff.getByRole('heading', { name: 'own-layout.csv', level: 1 }).waitFor();
    await staff.locator('.title').getByText('Queued', { exact: true }).waitFor();
    const [m] = (await client(stack.url, stack.staff).get('/column-mappings')).body.items;
    expect(m.columns).toEqual({ claimNumber: 'Ref', patientName: 'Who', payer: 'Insurer', dateOfService: 'Seen On', balance: 'Owed' });
  });
});
