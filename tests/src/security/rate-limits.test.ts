import { pino } from 'pino';
import { loadApiConfig, startApi, type ApiRuntime } from '@ledgerport/api';
import { client } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// Rate limits are counted in Redis, so two API processes share them: requests alternate between two
// APIs and the one past the limit gets 429 with Retry-After, wherever it lands. Each pair of APIs
// below has a key prefix of its own, so its counters start at zero.
let stack: TestStack;
const started: ApiRuntime[] = [];

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
});
afterAll(async () => {
  await Promise.all(started.map((a) => a.close()));
  await stack?.close();
});

async function twoApis(name: string, limits: Record<string, string>): Promise<[string, string]> {
  // Under the stack's prefix, so its close() removes these counters too.
  const env = { ...stack.env, QUEUE_PREFIX: `${stack.env.QUEUE_PREFIX}:${name}`, ...limits };
  const a = await startApi(loadApiConfig(env), pino({ level: 'silent' }));
  const b = await startApi(loadApiConfig(env), pino({ level: 'silent' }));
  started.push(a, b);
  return [a.url, b.url];
}

function expectLimited(r: { status: number; body: any; headers: Headers }, message: RegExp) {
  expect(r.status).toBe(429);
  expect(r.body.error).toEqual({ code: 'rate_limited', message: expect.stringMatching(message) });
  const retryAfter = Number(r.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(r.body.error.message).toContain(`Try again in ${retryAfter} second`);
}

it('limits each token across both API processes, and leaves other tokens alone', async () => {
  const apis = await twoApis('token', { RATE_LIMIT_PER_TOKEN: '6', RATE_LIMIT_WINDOW_SECONDS: '60' });
  for (let i = 0; i < 6; i++) expect((await client(apis[i % 2]!, stack.staff).get('/imports')).status).toBe(200);
  for (const url of apis)
    expectLimited(await client(url, stack.staff).get('/imports'), /Too many requests with this API token/);
  expect((await client(apis[0], stack.admin).get('/imports')).status).toBe(200);
});

it('limits each address across both API processes, whatever token it uses or none', async () => {
  const apis = await twoApis('ip', { RATE_LIMIT_PER_IP: '8' });
  for (let i = 0; i < 8; i++) {
    const token = [stack.staff, stack.admin, null][i % 3]!;
    expect((await client(apis[i % 2]!, token).get('/me')).status).toBeLessThan(429);
  }
  for (const url of apis)
    expectLimited(await client(url, stack.admin).get('/me'), /Too many requests from your network/);
  // The page's own files are not counted (they are cached by the browser anyway), nor is /health.
  expect((await client(apis[0], null).get('/health')).status).toBe(200);
});

it('refuses tokens unread from an address that has offered too many bad ones, while a token in use keeps working', async () => {
  const apis = await twoApis('authfail', { RATE_LIMIT_AUTH_FAILURES_PER_IP: '3', AUTH_CACHE_MS: '60000' });
  // In use (and remembered) before the guessing starts.
  expect((await client(apis[1], stack.admin).get('/me')).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await client(apis[i % 2]!, `lp_staff_guess${i}`).get('/me')).status).toBe(401);
  for (const url of apis)
    expectLimited(await client(url, 'lp_staff_guess-again').get('/me'), /Too many sign-in attempts/);
  // Not even a valid token is looked up from there now, unless this process already knows it.
  expectLimited(await client(apis[0], stack.staff).get('/me'), /Too many sign-in attempts/);
  expect((await client(apis[1], stack.admin).get('/me')).status).toBe(200);
});
