import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

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
  context: BrowserContext;
  /** A new tab: its own sessionStorage, so its own signed-in user. */
  newPage(width?: number, height?: number): Promise<Page>;
  close(): Promise<void>;
}

/** Headless chromium on a fresh profile directory, removed again by close(). */
export async function launchBrowser(): Promise<TestBrowser> {
  ensureChromium();
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'lp-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
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
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  return {
    context,
    async newPage(width = 1280, height = 900) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      return page;
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
