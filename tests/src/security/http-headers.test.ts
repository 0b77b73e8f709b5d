import { pino } from 'pino';
import { loadApiConfig, startApi, type ApiRuntime } from '@ledgerport/api';
import { ensureWebBuilt, WEB_DIST } from '../support/browser.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// The headers every answer carries (helmet): a CSP the page passes (tests/src/web/web-page-csp.test.ts
// loads it in chromium), no framing, no sniffing, no referrer; HSTS only over TLS; and no cache for
// anything but the page's own files.
let stack: TestStack;
let untrusting: ApiRuntime;

beforeAll(async () => {
  ensureWebBuilt();
  stack = await startTestStack({ worker: false, env: { WEB_DIR: WEB_DIST } });
  // An API that believes no proxy: X-Forwarded-Proto from anyone is ignored.
  untrusting = await startApi(loadApiConfig({ ...stack.env, TRUST_PROXY: 'false' }), pino({ level: 'silent' }));
});
afterAll(async () => {
  await untrusting?.close();
  await stack?.close();
});

const get = (path: string, headers: Record<string, string> = {}, base = stack.url) =>
  rawRequest(base, 'GET', path, headers);

it('serves the page with a strict CSP, no framing, nosniff and no referrer', async () => {
  const page = await get('/');
  expect(page.status).toBe(200);
  const csp = String(page.headers['content-security-policy']);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "connect-src 'self'",
  ])
    expect(csp).toContain(directive);
  expect(csp).not.toContain('unsafe-inline');
  expect(page.headers).toMatchObject({
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  });
  expect(page.headers['x-powered-by']).toBeUndefined();
});

it('sends HSTS only for a request that came over TLS through a proxy it trusts', async () => {
  expect((await get('/health')).headers['strict-transport-security']).toBeUndefined();
  const viaTls = await get('/health', { 'x-forwarded-proto': 'https' });
  expect(viaTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  const spoofed = await get('/health', { 'x-forwarded-proto': 'https' }, untrusting.url);
  expect(spoofed.headers['strict-transport-security']).toBeUndefined();
});

it('lets no answer with patient or practice data be cached, errors included; only the page’s files are', async () => {
  const auth = { authorization: `Bearer ${stack.staff}` };
  for (const path of [
    '/me',
    '/imports',
    '/patients',
    '/imports/templates/patients',
    '/nothing-here',
    '/imports/not-an-id',
  ])
    expect({ path, cc: (await get(path, auth)).headers['cache-control'] }).toEqual({ path, cc: 'no-store' });
  expect((await get('/imports')).headers['cache-control']).toBe('no-store');
  const index = await get('/');
  expect(index.headers['cache-control']).toBe('no-cache');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
  expect((await get(asset!)).headers['cache-control']).toBe('public, max-age=3600');
});

it('gives the operators’ dashboard a policy of its own that allows its inline styles only', async () => {
  const csp = String((await get('/admin/queues', { accept: 'application/json' })).headers['content-security-policy']);
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
});
