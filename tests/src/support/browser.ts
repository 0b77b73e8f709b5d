import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const REPO = path.resolve(__dirname, '../../..');
export const WEB_DIST = path.join(REPO, 'apps/web/dist');
export const SCREENSHOTS = path.join(REPO, 'test-artifacts/screenshots');

/**
 * Debian's chromium, installed on first use (we run as root in the dev and CI machines). Playwright's
 * own browser download cannot reach its servers here, so the tests drive the system package.
 */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const run = (args: string[]) => {
    const r = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0)
      throw new Error(
        `apt-get ${args.join(' ')} failed (exit ${r.status}); install chromium by hand: apt-get install -y chromium`,
      );
  };
  run(['update']);
  run(['install', '-y', '--no-install-recommends', 'chromium']);
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing`);
}

export function ensureWebBuilt(): void {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: build first (npx turbo run build), as npm test does.`);
  }
}

export interface TestBrowser {
  /**
   * A new page in a context of its own (its own cookies, so its own signed-in person, as two people
   * at two computers would be).
   */
  newPage(width?: number, height?: number): Promise<Page>;
  close(): Promise<void>;
}

/** Headless chromium with nothing kept: each page's context (cookies, storage) ends with close(). */
export async function launchBrowser(): Promise<TestBrowser> {
  ensureChromium();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  return {
    async newPage(width = 1280, height = 900) {
      const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
      const page = await context.newPage();
      // Closing the page closes its context: nothing of one test's sign-in outlives it.
      page.once('close', () => void context.close().catch(() => undefined));
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in on the page as a person with an email and a password, and waits for the signed-in page. */
export async function signInAs(page: Page, url: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** What the sign-in helpers need of a test stack: its address and its seeded users. */
interface SignInStack {
  url: string;
  seed: { users: ReadonlyArray<{ token: string; email: string; password: string }> };
}

/** Signs in on the page with the email and password of the stack's seeded user whose API token this is. */
export async function signInWithToken(page: Page, stack: SignInStack, token: string): Promise<void> {
  const who = stack.seed.users.find((u) => u.token === token);
  if (!who) throw new Error('no seeded user has that token');
  await signInAs(page, stack.url, who);
}

/** A staff member's page and an administrator's, each signed in: two people at two computers. */
export async function staffAndAdminPages(
  browser: TestBrowser,
  stack: SignInStack & { staff: string; admin: string },
): Promise<{ staff: Page; admin: Page }> {
  const staff = await browser.newPage();
  const admin = await browser.newPage();
  await signInWithToken(staff, stack, stack.staff);
  await signInWithToken(admin, stack, stack.admin);
  return { staff, admin };
}
