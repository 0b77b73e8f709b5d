import type { Page } from 'playwright-core';
import { expectAxeClean } from '../support/axe.js';
import { ensureWebBuilt, launchBrowser, screenshot, signInAs, WEB_DIST, type TestBrowser } from '../support/browser.js';
import { client } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// People on the page, in a real (headless) chromium: an admin invites a biller on the Users screen and
// passes the link on; the biller sets a password through it and is signed in; the admin changes their
// role, deactivates them (their open page is signed out at its next request) and reactivates them;
// the last admin is told why they cannot step down; each person makes and revokes their own API
// tokens under Your account. Every screen is checked with axe.

let stack: TestStack;
let browser: TestBrowser;
let admin: Page;

const adminUser = () => stack.seed.users.find((u) => u.role === 'admin')!;
const userRow = (page: Page, name: string) => page.getByRole('row').filter({ hasText: name });

beforeAll(async () => {
  ensureWebBuilt();
  browser = await launchBrowser();
  stack = await startTestStack({ worker: false, env: { WEB_DIR: WEB_DIST } });
  admin = await browser.newPage();
  await signInAs(admin, stack.url, adminUser());
  // Confirmations (Deactivate, Revoke) are accepted: the test is about what follows.
  admin.on('dialog', (d) => void d.accept());
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the Users screen', () => {
  let link = '';

  it('lists the practice’s users for an admin, and invites a new one with a link to pass on', async () => {
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await userRow(admin, 'Sam Staff').getByText('Active', { exact: true }).waitFor();
    await expectAxeClean(admin, 'the Users screen');

    await admin.getByLabel('Name').fill('Nia Biller');
    await admin.getByLabel('Email').fill('nia@demo-eye-care.test');
    await admin.getByRole('button', { name: 'Invite' }).click();
    const shown = admin.getByLabel('Invitation link for Nia Biller');
    await shown.waitFor();
    link = await shown.inputValue();
    expect(link).toMatch(new RegExp(`^${stack.url}/#/set-password/[\\w-]{40,}$`));
    await admin.getByText(/Nobody is emailed: pass this link on to Nia Biller/).waitFor();
    await userRow(admin, 'Nia Biller').getByText('Invited: has not set a password yet').waitFor();
    await screenshot(admin, 'users-1280');
    await expectAxeClean(admin, 'the Users screen with an invitation link');
  });

  it('lets the invited user set a password through the link and lands them signed in', async () => {
    const nia = await browser.newPage();
    await nia.goto(link);
    await nia.getByRole('heading', { name: 'Welcome to Ledgerport, Nia Biller' }).waitFor();
    await expectAxeClean(nia, 'the set-password page');
    await nia.getByLabel('New password').fill('short');
    await nia.getByLabel('The same password again').fill('short');
    await nia.getByRole('button', { name: 'Set password and sign in' }).click();
    await nia.getByRole('alert').filter({ hasText: 'at least 10 characters' }).waitFor();
    await nia.getByLabel('New password').fill('nia’s long passphrase');
    await nia.getByLabel('The same password again').fill('nia’s long passphrase');
    await nia.getByRole('button', { name: 'Set password and sign in' }).click();
    await nia.getByRole('button', { name: 'Sign out' }).waitFor();
    await nia.getByRole('banner').getByText('Nia Biller').waitFor();
    // Staff have no Users link, and the screen says it is for administrators.
    expect(await nia.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await nia.goto(`${stack.url}/#/users`);
    await nia.getByRole('heading', { name: 'Only for administrators' }).waitFor();

    // The link worked once.
    const again = await browser.newPage();
    await again.goto(link);
    await again.getByRole('alert').filter({ hasText: 'expired or was already used' }).waitFor();
    await again.close();

    // Deactivated: her open page is signed out at its next request, and she cannot sign in again.
    await admin.reload();
    await userRow(admin, 'Nia Biller').getByText('Active', { exact: true }).waitFor();
    await admin.getByRole('button', { name: 'Deactivate: Nia Biller' }).click();
    await admin.getByRole('status').filter({ hasText: 'Nia Biller is deactivated and signed out.' }).waitFor();
    await userRow(admin, 'Nia Biller').getByText('Deactivated').waitFor();
    await nia.goto(`${stack.url}/#/notifications`);
    await nia.getByRole('heading', { name: 'Sign in to Ledgerport' }).waitFor();
    await nia.getByLabel('Email').fill('nia@demo-eye-care.test');
    await nia.getByLabel('Password', { exact: true }).fill('nia’s long passphrase');
    await nia.keyboard.press('Enter');
    await nia.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();

    await admin.getByRole('button', { name: 'Reactivate: Nia Biller' }).click();
    await userRow(admin, 'Nia Biller').getByText('Active', { exact: true }).waitFor();
    await signInAs(nia, stack.url, { email: 'nia@demo-eye-care.test', password: 'nia’s long passphrase' });
    await nia.close();
  });

  it('changes a role, and makes a reset link for someone who forgot their password', async () => {
    await admin.getByRole('button', { name: 'Make administrator: Sam Staff' }).click();
    await userRow(admin, 'Sam Staff').getByText('Administrator', { exact: true }).waitFor();
    expect((await client(stack.url, stack.staff).get('/users')).status).toBe(200);
    await admin.getByRole('button', { name: 'Make staff: Sam Staff' }).click();
    await userRow(admin, 'Sam Staff').getByText('Staff', { exact: true }).waitFor();
    expect((await client(stack.url, stack.staff).get('/users')).status).toBe(403);

    await admin.getByRole('button', { name: 'Password reset link: Sam Staff' }).click();
    const reset = await admin.getByLabel('Reset link for Sam Staff').inputValue();
    const sam = await browser.newPage();
    await sam.goto(reset);
    await sam.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await sam.getByLabel('New password').fill('sam’s new passphrase');
    await sam.getByLabel('The same password again').fill('sam’s new passphrase');
    await sam.getByRole('button', { name: 'Save new password and sign in' }).click();
    await sam.getByRole('button', { name: 'Sign out' }).waitFor();
    await sam.close();
  });

  it('tells the last admin, in plain words, why they cannot step down', async () => {
    await admin.getByRole('button', { name: 'Make staff: Ada Admin' }).click();
    await admin.getByRole('alert').filter({ hasText: 'You are the practice’s last active administrator' }).waitFor();
    await userRow(admin, 'Ada Admin').getByText('Administrator', { exact: true }).waitFor();
    await expectAxeClean(admin, 'the Users screen with an error');
  });
});

describe('Your account', () => {
  it('makes an API token shown once, which works for scripts, and revokes it', async () => {
    await admin.getByRole('link', { name: 'Your account' }).click();
    await admin.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await admin.getByLabel('What it is for').fill('nightly upload');
    await admin.getByRole('button', { name: 'Make token' }).click();
    const token = await admin.getByLabel('API token “nightly upload”').inputValue();
    expect(token).toMatch(/^lp_admin_/);
    expect((await client(stack.url, token).get('/me')).status).toBe(200);
    await admin.getByRole('row').filter({ hasText: 'nightly upload' }).waitFor();
    await screenshot(admin, 'account-1280');
    await expectAxeClean(admin, 'Your account');

    await admin.getByRole('button', { name: 'Revoke: nightly upload' }).click();
    await admin.getByRole('status').filter({ hasText: '“nightly upload” is revoked.' }).waitFor();
    expect((await client(stack.url, token).get('/me')).status).toBe(401);
  });

  it('works on a phone without sideways scrolling', async () => {
    const phone = await browser.newPage(390, 844);
    await signInAs(phone, stack.url, { email: 'nia@demo-eye-care.test', password: 'nia’s long passphrase' });
    await phone.goto(`${stack.url}/#/account`);
    await phone.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    const [scrollWidth, innerWidth] = await phone.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await expectAxeClean(phone, 'Your account on a phone');
    await phone.close();
  });
});
