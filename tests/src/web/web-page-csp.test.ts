import type { ConsoleMessage, Page } from 'playwright-core';
import { seedDemoOperator } from '@ledgerport/db';
import { ensureWebBuilt, launchBrowser, screenshot, signInAs, WEB_DIST, type TestBrowser } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// The page and the operators' dashboard, in chromium, under the CSP the API sends: both work, and the
// browser reports no violation (a refused script or style would be a console error naming the policy).
let stack: TestStack;
let browser: TestBrowser;

beforeAll(async () => {
  ensureWebBuilt();
  browser = await launchBrowser();
  stack = await startTestStack({ worker: false, env: { WEB_DIR: WEB_DIST } });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

function violations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  return seen;
}

it('signs in and shows the imports page with no CSP violation', async () => {
  const page = await browser.newPage();
  const seen = violations(page);
  await signInAs(page, stack.url, stack.seed.users.find((u) => u.role === 'staff')!);
  await page.getByText('Demo Eye Care').first().waitFor();
  await page.getByRole('button', { name: 'Upload', exact: true }).waitFor();
  expect(seen).toEqual([]);
  await page.close();
});

it('opens the operators’ dashboard under its own policy with nothing of its own refused', async () => {
  const { token } = await seedDemoOperator(stack.db.handle.db);
  const page = await browser.newPage();
  const seen = violations(page);
  await page.goto(`${stack.url}/admin/session`);
  await page.getByLabel('Operator token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin\/queues/);
  await page.getByText('imports', { exact: false }).first().waitFor();
  await screenshot(page, 'operator-dashboard-csp');
  // Its one remote stylesheet (a web font) is refused by design: nothing of ours loads from elsewhere.
  expect(seen.filter((s) => !s.includes('fonts.googleapis.com'))).toEqual([]);
  await page.close();
});
