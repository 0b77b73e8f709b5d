import { appRoutes, buildHistoryRoutes } from '@bull-board/api/dist/routes.js';
import type { MetricsHistoryProvider } from '@bull-board/api/dist/types.js';
import { pino } from 'pino';
import { loadApiConfig, startApi, type ApiRuntime } from '@ledgerport/api';
import { createOperator, hashToken, seedDemo } from '@ledgerport/db';
import { createImportQueue, createRedisConnection, type ImportQueue } from '@ledgerport/queue';
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv } from './support/generate.js';
import { redisUrl, startTestStack, type TestStack } from './support/test-stack.js';

// The queue dashboard shows every practice's jobs, so only an operator (someone who runs the service,
// in no practice) reaches it, with a short-lived session and never a token in the address.

let stack: TestStack;
let operatorToken: string;
let practiceUsers: Array<{ who: string; token: string }>;
let jobId: string;
let redis: ReturnType<typeof createRedisConnection>;
let queue: ImportQueue;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  const other = await seedDemo(stack.db.handle.db, { practiceName: 'Lakeside Optometry' });
  const tokenOf = (users: typeof other.users, role: string) => users.find((u) => u.role === role)!.token;
  practiceUsers = [
    { who: 'admin of Demo Eye Care', token: stack.admin },
    { who: 'staff of Demo Eye Care', token: stack.staff },
    { who: 'admin of Lakeside Optometry', token: tokenOf(other.users, 'admin') },
    { who: 'staff of Lakeside Optometry', token: tokenOf(other.users, 'staff') },
  ];
  operatorToken = (await createOperator(stack.db.handle.db, 'Olive Operator'))!.token;
  // A job waiting in the queue (no worker runs yet): the one every job route below is aimed at.
  const up = await client(stack.url, stack.staff).upload(generateAgingCsv({ rows: 5 }), {
    kind: 'aging',
    locationId: 'Riverside',
  });
  expect(up.status).toBe(202);
  jobId = up.body.id;
  redis = createRedisConnection(redisUrl());
  queue = createImportQueue(redis, stack.env.QUEUE_PREFIX!);
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
  await stack.close();
});

interface Call {
  method: string;
  path: string;
}

/** Every route bull-board serves, read from the package itself: a new route in an upgrade is tested too. */
function dashboardRoutes(): { pages: Call[]; api: Call[] } {
  const stub = {} as MetricsHistoryProvider;
  const api = [...appRoutes.api, ...buildHistoryRoutes(stub, { hasUsage: true, canPurge: true, hasLatency: true })];
  const fill = (route: string) =>
    DASHBOARD +
    route
      .replace(':queueName', 'imports')
      .replace(':jobId', jobId)
      .replace(':queueStatus', 'failed')
      .replace(':schedulerId', 'nightly');
  const all = <T extends string>(x: T | T[]) => (Array.isArray(x) ? x : [x]);
  const calls = (r: { method: string | string[]; route: string | string[] }) =>
    all(r.method).flatMap((method) =>
      all(r.route).map((route) => ({ method: method.toUpperCase(), path: fill(route) })),
    );
  return {
    pages: [...calls(appRoutes.entryPoint), { method: 'GET', path: `${DASHBOARD}/static/images/logo.svg` }],
    api: api.flatMap(calls),
  };
}

const DASHBOARD = '/admin/queues';

async function call(c: Call, headers: Record<string, string> = {}, base = stack.url) {
  const hasBody = !['GET', 'HEAD'].includes(c.method);
  const res = await fetch(base + c.path, {
    method: c.method,
    redirect: 'manual',
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
    body: hasBody ? '{}' : undefined,
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // a page
  }
  return { status: res.status, text, json, cookies: res.headers.getSetCookie(), location: res.headers.get('location') };
}

async function signIn(token: string, headers: Record<string, string> = {}, base = stack.url) {
  const res = await fetch(`${base}/admin/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  const cookies = res.headers.getSetCookie();
  return {
    status: res.status,
    body: (await res.json()) as any,
    cookies,
    cookie: cookies.find((c) => c.startsWith('lp_operator_session='))?.split(';')[0] ?? '',
  };
}

const sessionId = (cookie: string) => cookie.slice('lp_operator_session='.length);

async function jobState() {
  return { state: await (await queue.getJob(jobId))?.getState(), paused: await queue.isPaused() };
}

describe('practice users never reach the dashboard', () => {
  it('refuses the admin and staff of two practices on every page and every API route, however they offer their token', async () => {
    const { pages, api } = dashboardRoutes();
    expect(api.length).toBeGreaterThan(30);
    const before = await jobState();
    for (const { who, token } of practiceUsers) {
      for (const c of [...pages, ...api]) {
        const isPage = pages.includes(c);
        const accept = isPage ? 'text/html' : 'application/json';
        const offers: Array<{ how: string; call: Call; headers: Record<string, string> }> = [
          { how: 'bearer', call: c, headers: { authorization: `Bearer ${token}`, accept } },
          { how: 'query', call: { ...c, path: `${c.path}?token=${token}` }, headers: { accept } },
        ];
        for (const offered of offers) {
          const r = await call(offered.call, offered.headers);
          const seen = `${who}, token by ${offered.how}: ${c.method} ${offered.call.path}`;
          expect({ seen, status: r.status }).toEqual({ seen, status: 403 });
          if (isPage) expect(r.text).toContain('not for practice accounts');
          else
            expect(r.json?.error).toEqual({
              code: 'forbidden',
              message: expect.stringContaining('not for practice accounts'),
            });
          expect(r.cookies).toEqual([]);
        }
        // The cookie the old link left behind (the raw token) opens nothing and is wiped.
        const legacy = await call(c, { cookie: `lp_dashboard=${token}`, accept: 'application/json' });
        expect({ c, status: legacy.status }).toEqual({ c, status: 401 });
        expect(legacy.json.error.code).toBe('unauthorized');
        expect(legacy.cookies).toEqual([
          expect.stringMatching(/^lp_dashboard=;.*Path=\/admin\/queues;.*Expires=Thu, 01 Jan 1970/),
        ]);
      }
    }
    expect(await jobState()).toEqual(before);
    expect(before).toEqual({ state: 'waiting', paused: false });
  });

  it('never gives a practice token a dashboard session, in a header or the sign-in form', async () => {
    for (const { token } of practiceUsers) {
      const header = await signIn(token);
      expect(header.status).toBe(403);
      expect(header.body.error).toEqual({
        code: 'forbidden',
        message: expect.stringContaining('not for practice accounts'),
      });
      expect(header.cookies).toEqual([]);
      const form = await fetch(`${stack.url}/admin/session`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ token }),
      });
      expect(form.status).toBe(403);
      expect(await form.text()).toContain('not for practice accounts');
      expect(form.headers.getSetCookie()).toEqual([]);
    }
    expect(Number((await stack.db.handle.pool.query('select count(*) n from operator_sessions')).rows[0].n)).toBe(0);
  });

  it('sends a browser with nothing to the operator sign-in, and a script a 401', async () => {
    const page = await call({ method: 'GET', path: DASHBOARD }, { accept: 'text/html' });
    expect(page.status).toBe(303);
    expect(page.location).toBe('/admin/session');
    const form = await call({ method: 'GET', path: '/admin/session' }, { accept: 'text/html' });
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<form method="post" action="\/admin\/session">.*name="token" type="password"/);
    const api = await call({ method: 'GET', path: `${DASHBOARD}/api/queues` });
    expect(api.status).toBe(401);
    expect(api.json.error).toEqual({ code: 'unauthorized', message: expect.stringContaining('operator session') });
    for (const cookie of ['lp_operator_session=%E0%A4%A', 'lp_operator_session=made-up']) {
      expect((await call({ method: 'GET', path: `${DASHBOARD}/api/queues` }, { cookie })).status).toBe(401);
    }
  });

  it('no longer tells the page where the dashboard is', async () => {
    const c = client(stack.url, stack.admin);
    expect((await c.get('/config')).body).toEqual({ maxUploadBytes: 512 * 1024 * 1024 });
    expect((await c.get('/formats')).body.items.map((f: any) => f.id)).toContain('generic');
  });
});

describe('an operator', () => {
  it('signs in with a token in a header and gets a short-lived, HttpOnly, SameSite=Strict session cookie scoped to /admin', async () => {
    const before = Date.now();
    const s = await signIn(operatorToken);
    const after = Date.now();
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ operator: { name: 'Olive Operator' }, expiresAt: expect.any(String), idleMinutes: 30 });
    // Eight hours from when the API answered, however long the request took on a busy machine.
    const expires = Date.parse(s.body.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 8 * 3600_000);
    expect(expires).toBeLessThanOrEqual(after + 8 * 3600_000);
    expect(s.cookies).toHaveLength(1);
    expect(s.cookies[0]).toMatch(
      /^lp_operator_session=[\w-]{43}; Max-Age=28800; Path=\/admin; Expires=[^;]+; HttpOnly; SameSite=Strict$/,
    );
    // Plain http here: no Secure, or the browser would never send it back.
    expect(s.cookies[0]).not.toMatch(/Secure/);
    // Only the session id's hash is stored; the operator token is not in the cookie.
    const rows = (await stack.db.handle.pool.query('select id_hash from operator_sessions')).rows.map((r) => r.id_hash);
    expect(rows).toContain(hashToken(sessionId(s.cookie)));
    expect(rows).not.toContain(sessionId(s.cookie));
    expect(s.cookie).not.toContain(operatorToken);
  });

  it('gets a Secure cookie when the request came over TLS through a trusted proxy', async () => {
    const s = await signIn(operatorToken, { 'x-forwarded-proto': 'https' });
    expect(s.status).toBe(200);
    expect(s.cookies[0]).toMatch(/; Path=\/admin; .*HttpOnly; Secure; SameSite=Strict$/);
  });

  it('signs in through the form and lands on the dashboard; a wrong token gets the form again', async () => {
    const ok = await fetch(`${stack.url}/admin/session`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ token: operatorToken }),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(DASHBOARD);
    const cookie = ok.headers.getSetCookie()[0]!.split(';')[0]!;
    const page = await call({ method: 'GET', path: DASHBOARD }, { cookie, accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const bad = await fetch(`${stack.url}/admin/session`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ token: 'lp_operator_wrong' }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toMatch(/not an operator token.*<form/s);
    expect(bad.headers.getSetCookie()).toEqual([]);
  });

  it('lists queues and jobs: job names are generic and job data is ids only (of the import and of the request)', async () => {
    const { cookie } = await signIn(operatorToken);
    for (const c of dashboardRoutes().pages) {
      const r = await call(c, { cookie, accept: 'text/html' });
      expect({ c, status: r.status }).toEqual({ c, status: 200 });
    }
    const queues = await call(
      { method: 'GET', path: `${DASHBOARD}/api/queues?activeQueue=imports&status=waiting&page=1` },
      { cookie },
    );
    expect(queues.status).toBe(200);
    const imports = queues.json.queues.find((q: any) => q.name === 'imports');
    expect(imports.readOnlyMode).toBe(true);
    expect(imports.jobs.map((j: any) => ({ id: j.id, name: j.name, data: j.data }))).toEqual([
      { id: jobId, name: 'process-import', data: { importId: jobId, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } },
    ]);
    const job = await call({ method: 'GET', path: `${DASHBOARD}/api/queues/imports/${jobId}` }, { cookie });
    expect(job.status).toBe(200);
    expect(job.json.job).toMatchObject({ id: jobId, name: 'process-import', data: { importId: jobId } });
  });

  it('cannot change anything while the dashboard is read-only (the default): every mutating route is refused on the server', async () => {
    const { cookie } = await signIn(operatorToken);
    const mutating = dashboardRoutes().api.filter((c) => c.method !== 'GET');
    expect(mutating.map((c) => c.path)).toEqual(
      expect.arrayContaining([
        `${DASHBOARD}/api/queues/imports/${jobId}/retry`,
        `${DASHBOARD}/api/queues/imports/clean/failed`,
        `${DASHBOARD}/api/queues/imports/pause`,
        `${DASHBOARD}/api/queues/imports/${jobId}/promote`,
        `${DASHBOARD}/api/queues/imports/empty`,
        `${DASHBOARD}/api/queues/imports/add`,
      ]),
    );
    for (const c of mutating) {
      const r = await call(c, { cookie });
      expect({ c, status: r.status }).toEqual({ c, status: 403 });
      expect(r.json.error).toEqual({
        code: 'dashboard_read_only',
        message: expect.stringContaining('QUEUE_DASHBOARD_WRITABLE=true'),
      });
    }
    expect(await jobState()).toEqual({ state: 'waiting', paused: false });
    expect(await queue.count()).toBe(1);
  });

  it('cannot use the token in the address or a header on the dashboard: only a session opens it', async () => {
    for (const path of [`${DASHBOARD}?token=${operatorToken}`, `${DASHBOARD}/api/queues?token=${operatorToken}`]) {
      const r = await call({ method: 'GET', path }, { accept: 'text/html' });
      expect(r.status).toBe(403);
      expect(r.cookies).toEqual([]);
    }
    expect(
      (await call({ method: 'GET', path: `${DASHBOARD}/api/queues` }, { authorization: `Bearer ${operatorToken}` }))
        .status,
    ).toBe(403);
    // Nor does sign-in read it from the address.
    const r = await fetch(`${stack.url}/admin/session?token=${operatorToken}`, { method: 'POST' });
    expect(r.status).toBe(401);
    expect(r.headers.getSetCookie()).toEqual([]);
  });

  it('signs out: the session ends on the server and the cookie is cleared', async () => {
    const { cookie } = await signIn(operatorToken);
    expect((await call({ method: 'GET', path: `${DASHBOARD}/api/queues` }, { cookie })).status).toBe(200);
    const out = await fetch(`${stack.url}/admin/session/sign-out`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()).toEqual([
      expect.stringMatching(
        /^lp_operator_session=; Path=\/admin; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/,
      ),
    ]);
    // A copy of the cookie kept elsewhere opens nothing any more.
    expect((await call({ method: 'GET', path: `${DASHBOARD}/api/queues` }, { cookie })).status).toBe(401);
    const rows = await stack.db.handle.pool.query('select 1 from operator_sessions where id_hash = $1', [
      hashToken(sessionId(cookie)),
    ]);
    expect(rows.rowCount).toBe(0);
    // From the page, signing out leads back to the sign-in form.
    const again = await signIn(operatorToken);
    const fromPage = await fetch(`${stack.url}/admin/session/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: again.cookie, accept: 'text/html' },
    });
    expect(fromPage.status).toBe(303);
    expect(fromPage.headers.get('location')).toBe('/admin/session');
  });

  // Session times are measured by Postgres's clock: moving a session's timestamps back is moving
  // the clock forward, with no sleep.
  it('is refused after 30 minutes idle, and after 8 hours however busy', async () => {
    const age = async (cookie: string, column: 'last_seen_at' | 'created_at', by: string) =>
      stack.db.handle.pool.query(
        `update operator_sessions set ${column} = ${column} - $2::interval where id_hash = $1`,
        [hashToken(sessionId(cookie)), by],
      );
    const queues = (cookie: string) => call({ method: 'GET', path: `${DASHBOARD}/api/queues` }, { cookie });

    const idle = (await signIn(operatorToken)).cookie;
    await age(idle, 'last_seen_at', '29 minutes');
    expect((await queues(idle)).status).toBe(200); // used now: idle again from here
    await age(idle, 'last_seen_at', '30 minutes 1 second');
    const refused = await queues(idle);
    expect(refused.status).toBe(401);
    expect(refused.json.error.message).toContain('sign in again');
    expect((await call({ method: 'GET', path: DASHBOARD }, { cookie: idle, accept: 'text/html' })).location).toBe(
      '/admin/session',
    );

    const busy = (await signIn(operatorToken)).cookie;
    await age(busy, 'created_at', '7 hours 59 minutes');
    expect((await queues(busy)).status).toBe(200);
    await age(busy, 'created_at', '1 minute 1 second');
    expect((await queues(busy)).status).toBe(401);
  });

  it('is refused once deactivated, even with a live session', async () => {
    const { cookie } = await signIn(operatorToken);
    await stack.db.handle.pool.query(`update operators set active = false where name = 'Olive Operator'`);
    try {
      expect((await call({ method: 'GET', path: `${DASHBOARD}/api/queues` }, { cookie })).status).toBe(401);
      expect((await signIn(operatorToken)).status).toBe(401);
    } finally {
      await stack.db.handle.pool.query(`update operators set active = true where name = 'Olive Operator'`);
    }
  });
});

describe('an API started with QUEUE_DASHBOARD_WRITABLE=true and OPERATOR_SESSION_IDLE_MINUTES=5', () => {
  let writable: ApiRuntime;
  beforeAll(async () => {
    // A second API process over the same database and queues, configured otherwise.
    const env = { ...stack.env, QUEUE_DASHBOARD_WRITABLE: 'true', OPERATOR_SESSION_IDLE_MINUTES: '5' };
    writable = await startApi(loadApiConfig(env), pino({ level: 'silent' }));
  });
  afterAll(() => writable.close());

  it('lets an operator pause and resume the queue', async () => {
    const { cookie } = await signIn(operatorToken, {}, writable.url);
    const queues = await call({ method: 'GET', path: `${DASHBOARD}/api/queues` }, { cookie }, writable.url);
    expect(queues.json.queues.find((q: any) => q.name === 'imports').readOnlyMode).toBe(false);
    expect(
      (await call({ method: 'PUT', path: `${DASHBOARD}/api/queues/imports/pause` }, { cookie }, writable.url)).status,
    ).toBe(200);
    expect(await queue.isPaused()).toBe(true);
    expect(
      (await call({ method: 'PUT', path: `${DASHBOARD}/api/queues/imports/resume` }, { cookie }, writable.url)).status,
    ).toBe(200);
    expect(await queue.isPaused()).toBe(false);
  });

  it('still refuses practice users', async () => {
    for (const { token } of practiceUsers) {
      const r = await call(
        { method: 'PUT', path: `${DASHBOARD}/api/queues/imports/pause` },
        { authorization: `Bearer ${token}` },
        writable.url,
      );
      expect(r.status).toBe(403);
      expect((await signIn(token, {}, writable.url)).status).toBe(403);
    }
    expect(await queue.isPaused()).toBe(false);
  });

  it('answers malformed bodies and addresses on every API route with a 4xx (bodies in the usual shape), and changes nothing', async () => {
    const { cookie } = await signIn(operatorToken, {}, writable.url);
    const before = await jobState();
    const kinds: Array<[string, Record<string, string>, Buffer | string]> = [
      ['malformed JSON', { 'content-type': 'application/json' }, '{"jobs": '],
      ['JSON over 1 MB', { 'content-type': 'application/json' }, JSON.stringify({ x: 'x'.repeat(1_100_000) })],
      ['an unknown Content-Encoding', { 'content-type': 'application/json', 'content-encoding': 'x-snappy' }, '{}'],
      ['bad gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all'],
      ['an unknown charset', { 'content-type': 'application/json; charset=klingon' }, '{}'],
    ];
    const mutating = dashboardRoutes().api.filter((c) => c.method !== 'GET');
    expect(mutating.length).toBeGreaterThan(10);
    for (const c of mutating)
      for (const [what, headers, body] of kinds) {
        const res = await fetch(writable.url + c.path, { method: c.method, headers: { ...headers, cookie }, body });
        const text = await res.text();
        const seen = `${what}: ${c.method} ${c.path} → ${res.status} ${text.slice(0, 200)}`;
        expect({ seen, status: res.status >= 400 && res.status < 500 }).toEqual({ seen, status: true });
        expect({ seen, error: JSON.parse(text).error }).toEqual({ seen, error: { code: expect.any(String), message: expect.any(String) } });
      }
    // Junk in the address: a job id of 36 hyphens, a queue that is not one, a query of nonsense.
    for (const c of dashboardRoutes().api.filter((x) => x.method === 'GET'))
      for (const path of [
        `${c.path}?page=-1&activeQueue[]=x&status=%ZZ&jobsPerPage=abc`,
        c.path.replace(jobId, '-'.repeat(36)),
        c.path.replace('/imports', '/no-such-queue'),
      ]) {
        const res = await fetch(writable.url + path, { headers: { cookie } });
        const seen = `GET ${path} → ${res.status} ${(await res.text()).slice(0, 200)}`;
        expect({ seen, status: res.status < 500 }).toEqual({ seen, status: true });
      }
    expect(await jobState()).toEqual(before);
  });

  it('ends sessions after its own idle time', async () => {
    const { cookie, body } = await signIn(operatorToken, {}, writable.url);
    expect(body.idleMinutes).toBe(5);
    await stack.db.handle.pool.query(
      `update operator_sessions set last_seen_at = last_seen_at - interval '5 minutes 1 second' where id_hash = $1`,
      [hashToken(sessionId(cookie))],
    );
    expect((await call({ method: 'GET', path: `${DASHBOARD}/api/queues` }, { cookie }, writable.url)).status).toBe(401);
  });
});

it('shows no patient data in a finished job: generic name, ids in its data, counts in its progress', async () => {
  const worker = stack.startWorker();
  expect((await waitForImport(stack.url, stack.staff, jobId)).status).toBe('completed');
  const { cookie } = await signIn(operatorToken);
  const r = await call({ method: 'GET', path: `${DASHBOARD}/api/queues/imports/${jobId}` }, { cookie });
  expect(r.status).toBe(200);
  expect(r.json.job).toMatchObject({ name: 'process-import', data: { importId: jobId } });
  // The file's patients ("Patient1, Test", accounts A100001…) appear nowhere in what the board shows.
  expect(r.text).not.toMatch(/Patient\d|A1000\d\d|C-0000/);
  await worker.close();
});
