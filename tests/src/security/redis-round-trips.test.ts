import net from 'node:net';
import { pino } from 'pino';
import { loadApiConfig, startApi, type ApiRuntime } from '@ledgerport/api';
import { client } from '../support/http.js';
import { redisUrl, startTestStack, type TestStack } from '../support/test-stack.js';

// A request with an API token sends its token's count and the auth-epoch read to Redis with the
// address's count (startTokenChecks), so Redis is asked once per request, not three times in turn.
let stack: TestStack;
const started: ApiRuntime[] = [];
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
});
afterAll(async () => {
  await Promise.all(started.map((a) => a.close()));
  cleanups.forEach((c) => c());
  await stack?.close();
});

async function api(name: string, env: Record<string, string>): Promise<string> {
  // Under the stack's prefix, so its close() removes these counters too.
  const a = await startApi(
    loadApiConfig({ ...stack.env, QUEUE_PREFIX: `${stack.env.QUEUE_PREFIX}:${name}`, ...env }),
    pino({ level: 'silent' }),
  );
  started.push(a);
  return a.url;
}

const HOLD_MS = 40;

/**
 * A TCP proxy in front of the real Redis that counts round trips. Data from the API opens a "burst" and
 * is held HOLD_MS before it goes on; whatever else the API writes meanwhile joins that burst. A command
 * written only after an earlier reply (await, then the next command) cannot join it: that reply leaves
 * Redis only after the hold, so it opens a burst of its own. Commands written together (in one tick,
 * before any reply) are in the proxy's socket together. So the count is the number of sequential round
 * trips, however slow or busy the machine: no threshold on time is compared with anything measured.
 */
async function countingRedisProxy(): Promise<{ url: string; bursts: () => number; reset: () => void }> {
  const target = new URL(redisUrl());
  let bursts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((api) => {
    const redis = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [api, redis]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => [api, redis].forEach((t) => t.destroy()));
    }
    let held: Buffer[] | null = null;
    api.on('data', (chunk: Buffer) => {
      if (held) return void held.push(chunk);
      bursts++;
      held = [chunk];
      setTimeout(() => {
        redis.write(Buffer.concat(held!));
        held = null;
      }, HOLD_MS);
    });
    redis.pipe(api);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    sockets.forEach((s) => s.destroy());
    server.close();
  });
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return { url: url.toString(), bursts: () => bursts, reset: () => (bursts = 0) };
}

it('asks Redis once per request with a token: both rate limits and the auth epoch in one round trip', async () => {
  const proxy = await countingRedisProxy();
  const url = await api('rtt', {
    REDIS_URL: proxy.url,
    RATE_LIMIT_PER_TOKEN: '1000',
    RATE_LIMIT_PER_IP: '1000',
    AUTH_CACHE_MS: '60000',
  });
  // The first request looks the token up in Postgres (and may load the Lua script); the token is then
  // remembered, and a poll is only the Redis checks before its one query.
  expect((await client(url, stack.staff).get('/me')).status).toBe(200);
  const rounds: number[] = [];
  for (const path of ['/me', '/imports', '/imports']) {
    proxy.reset();
    expect((await client(url, stack.staff).get(path)).status).toBe(200);
    rounds.push(proxy.bursts());
  }
  // Not started early: the address's count, then the token's with the epoch (2); before 3c8df90, 3 in turn.
  expect(rounds).toEqual([1, 1, 1]);
});

it('answers a refusal started early: the token’s when only it is over, the address’s when both are, and stays up', async () => {
  const url = await api('early', { RATE_LIMIT_PER_TOKEN: '2', RATE_LIMIT_PER_IP: '3', AUTH_CACHE_MS: '60000' });
  const staff = client(url, stack.staff);
  for (let i = 0; i < 2; i++) expect((await staff.get('/me')).status).toBe(200);
  // The token remembered (cache on) is still counted: its refusal is thrown where authenticate awaits it.
  const third = await staff.get('/me');
  expect(third.status).toBe(429);
  expect(third.body.error.message).toMatch(/Too many requests with this API token/);
  // Both over: the address is refused first, and the token's refusal, started before, is never awaited.
  // Node would crash on it unhandled; jest fails the test it happens in.
  const fourth = await staff.get('/me');
  expect(fourth.status).toBe(429);
  expect(fourth.body.error.message).toMatch(/Too many requests from your network/);
  expect((await client(url, null).get('/health')).status).toBe(200);
});
