import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { loadApiConfig, startApi, type ApiRuntime } from '@ledgerport/api';
import { seedDemo, type SeedResult } from '@ledgerport/db';
import { insertPatientFixture, type PatientFixture } from '../support/fixtures.js';
import { client } from '../support/http.js';
import { rawRequest, type RawResponse } from '../support/raw-http.js';
import { fillPath, listRoutes, type RouteInfo } from '../support/routes.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// Every route of the app, read from Express's router stack (a route added later is swept too), gets
// malformed requests of every kind: none is answered 500, none makes the API log an error, every
// refusal is the usual {error: {code, message}}, and nothing is parsed for a caller without a valid
// token. Then every route with an id is called with another practice's ids: 404, and nothing changes.
// The queue dashboard (/admin/queues) has a sweep of its own in admin-dashboard.test.ts.

const PUBLIC = [
  'GET /admin/session',
  'POST /admin/session',
  'POST /admin/session/sign-out',
  // People's sign-in and their invitation and reset links: before there is a session (each writes its
  // own audit line once it knows the user; see sign-in.test.ts).
  'POST /session',
  'POST /session/sign-out',
  'GET /password-links/:token',
  'POST /password-links/:token',
];
// Health checks (/health, and any /health/… a probe uses) answer without a token.
const isHealth = (path: string) => path === '/health' || path.startsWith('/health/');
// Routes that read no patient data and change nothing of a practice's: the only ones not audited.
const NOT_AUDITED = [
  ...PUBLIC,
  'GET /config',
  'GET /formats',
  'GET /me',
  'GET /locations',
  'GET /notifications',
  'GET /imports/kinds',
  'GET /imports/templates/:kind',
  'GET /column-mappings',
  'GET /practice/settings',
];

let stack: TestStack;
let api: ApiRuntime;
let routes: RouteInfo[];
let other: SeedResult;
let theirs: PatientFixture;
let ours: PatientFixture;
let theirImportId: string;
let theirTokenId: string;
let theirNotificationId: number;
let theirPayerId: string;
const logged: Array<{ level: number; msg: string }> = [];

const userId = (seed: SeedResult, role: string) => seed.users.find((u) => u.role === role)!.id;
const token = (seed: SeedResult, role: string) => seed.users.find((u) => u.role === role)!.token;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  // An API of its own whose log is kept, to show that no malformed request makes it log an error.
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line));
      done();
    },
  });
  api = await startApi(loadApiConfig(stack.env), pino({ level: 'info' }, sink));
  routes = listRoutes(api.app, ['/admin/queues']);
  other = await seedDemo(stack.db.handle.db, { practiceName: 'Other Optometry' });
  theirPayerId = String(
    (
      await stack.db.handle.pool.query<{ id: number }>(
        `insert into payers (practice_id, name, normalized_name) values ($1, 'Their Payer', 'theirpayer') returning id`,
        [other.practice.id],
      )
    ).rows[0]!.id,
  );
  const pool = stack.db.handle.pool;
  theirs = await insertPatientFixture(pool, other.practice.id, userId(other, 'admin'), {
    owedCents: 1000,
    overpaidCents: 1000,
    creditCents: 1000,
  });
  ours = await insertPatientFixture(pool, stack.seed.practice.id, userId(stack.seed, 'admin'), {
    owedCents: 1000,
    overpaidCents: 1000,
    creditCents: 1000,
  });
  const up = await client(stack.url, token(other, 'staff')).upload(
    'Claim Number,Patient Name,Payer,Date of Service,Balance\nB-1,"B, B",Aetna,01/02/2026,1.00\n',
    {
      kind: 'aging',
      locationId: other.locations[0]!.id,
    },
  );
  expect(up.status).toBe(202);
  theirImportId = up.body.id;
  theirTokenId = (await client(stack.url, token(other, 'staff')).post('/tokens', { label: 'theirs' })).body.id;
  theirNotificationId = (
    await pool.query<{ id: number }>(
      `insert into notifications (user_id, kind, message) values ($1, 'test', 'hello') returning id`,
      [userId(other, 'staff')],
    )
  ).rows[0]!.id;
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const isPublic = (r: RouteInfo) => PUBLIC.includes(key(r)) || isHealth(r.path);
const INTEGER_IDS = ['/claims/', '/notifications/'];
/** An id of the right shape that names nothing. */
const nothing = (param: string, path: string) =>
  param === 'kind'
    ? 'aging'
    : INTEGER_IDS.some((p) => path.startsWith(p))
      ? '999999999'
      : '00000000-0000-4000-8000-000000000000';

interface Kind {
  name: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** the status an admin gets on a route that reads JSON (every authenticated route) */
  adminStatus?: number;
}

function multipart(parts: string[], boundary = 'sweep-boundary', close = true): string {
  return parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + (close ? `--${boundary}--\r\n` : '');
}
const field = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
const MULTIPART = 'multipart/form-data; boundary=sweep-boundary';

const KINDS: Kind[] = [
  {
    name: 'malformed JSON',
    headers: { 'content-type': 'application/json' },
    body: '{"amountCents": ',
    adminStatus: 400,
  },
  {
    name: 'JSON over 1 MB',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'x'.repeat(1_100_000) }),
    adminStatus: 413,
  },
  {
    name: 'an unknown Content-Encoding',
    headers: { 'content-type': 'application/json', 'content-encoding': 'x-snappy' },
    body: '{}',
    adminStatus: 415,
  },
  {
    name: 'bad gzip',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: Buffer.from('not gzip at all, just bytes'),
    adminStatus: 400,
  },
  {
    name: 'gzip that ends early',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync('{"label":"x"}').subarray(0, 12),
    adminStatus: 400,
  },
  {
    name: 'an unknown charset',
    headers: { 'content-type': 'application/json; charset=klingon' },
    body: '{}',
    adminStatus: 415,
  },
  { name: 'multipart without a boundary', headers: { 'content-type': 'multipart/form-data' }, body: 'whatever' },
  {
    name: 'truncated multipart',
    headers: { 'content-type': MULTIPART },
    body: multipart(
      [field('kind', 'aging'), 'Content-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nClaim Number,Bal'],
      undefined,
      false,
    ),
  },
  {
    name: 'multipart with too many fields',
    headers: { 'content-type': MULTIPART },
    body: multipart(Array.from({ length: 40 }, (_v, i) => field(`f${i}`, 'x'))),
  },
  {
    name: 'multipart with a 1 MB field',
    headers: { 'content-type': MULTIPART },
    body: multipart([field('kind', 'x'.repeat(1_000_000))]),
  },
  {
    name: 'multipart with a malformed part header',
    headers: { 'content-type': MULTIPART },
    body: '--sweep-boundary\r\nnot a header at all\r\n\r\nx\r\n--sweep-boundary--\r\n',
  },
  {
    name: 'a form in an unknown encoding',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'x-snappy' },
    body: 'token=x',
  },
  {
    name: 'a form over its limit',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${'x'.repeat(10_000)}`,
  },
  { name: 'junk in the query', headers: {} },
];
const JUNK_QUERY =
  '?page=-1&page=abc&pageSize[]=9&status[]=x&search[]=y&format[]=csv&annotated[]=1&unread[]=1&from=x&to=%00&userId=z&action=%ZZ&token[]=1';

const BAD_IDS = [
  '-'.repeat(36),
  'not-an-id',
  '%E0%A4%A',
  '1e3',
  '0x10',
  '-1',
  '00000000-0000-4000-8000-00000000000g',
  'x'.repeat(400),
  "'%3B%20drop%20table%20users%3B--",
];

async function call(r: RouteInfo, path: string, auth: string | null, kind: Kind): Promise<RawResponse> {
  const headers = { ...kind.headers, ...(auth ? { authorization: `Bearer ${auth}` } : {}), accept: 'application/json' };
  return rawRequest(api.url, r.method, path, headers, kind.body);
}

function expectHandled(seen: string, res: RawResponse) {
  expect({ seen, status: res.status < 500 }).toEqual({ seen, status: true });
  if (res.status >= 400 && String(res.headers['content-type']).startsWith('application/json'))
    expect({ seen, error: res.json?.error }).toEqual({
      seen,
      error: { code: expect.any(String), message: expect.any(String) },
    });
}

describe('malformed requests on every route', () => {
  it('finds every route of the app', () => {
    expect(routes.length).toBeGreaterThanOrEqual(40);
    expect(routes.map(key)).toEqual(
      expect.arrayContaining([
        'POST /imports',
        'GET /audit',
        'DELETE /users/:id/tokens/:tokenId',
        'PATCH /users/:id',
        'POST /users',
        'POST /users/:id/password-link',
        'POST /session',
      ]),
    );
  });

  it.each(KINDS.map((k) => [k.name, k] as const))('answers %s with a 4xx, never a 500', async (_name, kind) => {
    for (const r of routes) {
      const path = fillPath(r.path, nothing) + (kind.name === 'junk in the query' ? JUNK_QUERY : '');
      for (const [who, auth] of [
        ['nobody', null],
        ['staff', stack.staff],
        ['admin', stack.admin],
      ] as const) {
        const res = await call(r, path, auth, kind);
        const seen = `${who}: ${kind.name}: ${r.method} ${path.slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`;
        expectHandled(seen, res);
        if (isPublic(r)) continue;
        expect({ seen, noStore: res.headers['cache-control'] }).toEqual({ seen, noStore: 'no-store' });
        // Nothing is read for a caller without a token: 401, not 400 or 413 about a body it never had to send.
        if (!auth) expect({ seen, status: res.status }).toEqual({ seen, status: 401 });
        if (who === 'admin' && kind.adminStatus)
          expect({ seen, status: res.status }).toEqual({ seen, status: kind.adminStatus });
      }
    }
  });

  it('refuses malformed uploads with the usual error, in words a person can act on', async () => {
    const upload = routes.find((r) => key(r) === 'POST /imports')!;
    const byName = Object.fromEntries(KINDS.map((k) => [k.name, k]));
    const expected: Array<[string, number, string]> = [
      ['multipart without a boundary', 400, 'bad_upload'],
      ['truncated multipart', 400, 'bad_upload'],
      ['multipart with a malformed part header', 400, 'bad_upload'],
      ['multipart with too many fields', 413, 'body_too_large'],
      ['multipart with a 1 MB field', 413, 'body_too_large'],
      ['JSON over 1 MB', 413, 'body_too_large'],
      ['an unknown Content-Encoding', 415, 'unsupported_encoding'],
      ['bad gzip', 400, 'bad_request'],
    ];
    for (const [name, status, code] of expected) {
      const res = await call(upload, '/imports', stack.staff, byName[name]!);
      expect({ name, status: res.status, code: res.json?.error?.code }).toEqual({ name, status, code });
    }
  });

  it('answers 404 to an id that is not one (36 hyphens included), on every route with an id', async () => {
    for (const r of routes.filter((x) => x.path.includes(':') && !isPublic(x))) {
      for (const bad of BAD_IDS) {
        for (const param of r.path.match(/:\w+/g) ?? []) {
          const path = fillPath(r.path, (p, full) => (`:${p}` === param ? bad : nothing(p, full)));
          const res = await call(r, path, stack.admin, {
            name: 'bad id',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          });
          const seen = `${r.method} ${path.slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`;
          expectHandled(seen, res);
          // A %-escape that decodes to nothing is a malformed address (400); anything else names nothing (404).
          expect({ seen, status: res.status }).toEqual({ seen, status: bad === '%E0%A4%A' ? 400 : 404 });
        }
      }
    }
  });

  it('took a gzipped JSON body all the same (the encoding is refused only when it is wrong)', async () => {
    const res = await rawRequest(
      api.url,
      'POST',
      '/tokens',
      { authorization: `Bearer ${stack.staff}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync(JSON.stringify({ label: 'sent gzipped' })),
    );
    expect(res.status).toBe(201);
  });

  it('made the API log no error, and no stack trace, for any of it', () => {
    const errors = logged.filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
    expect(logged.some((l) => JSON.stringify(l).includes('    at '))).toBe(false);
  });
});

describe('the audit log covers every route', () => {
  it('audits every route but the few that read no patient data and change nothing', () => {
    const unaudited = routes.filter((r) => !r.auditAction && !isHealth(r.path)).map(key);
    expect(unaudited.sort()).toEqual([...NOT_AUDITED].sort());
  });
});

describe("another practice's ids, on every route with an id", () => {
  const bodyFor = (r: RouteInfo, creditId: string): unknown =>
    ({
      'POST /patients/:id/credits': { amountCents: 100 },
      'POST /claims/:id/payments': { method: 'patient_credit', creditId, amountCents: 100 },
      'POST /claims/:id/refunds': { amountCents: 100 },
      'PATCH /users/:id': { active: false },
      'PATCH /locations/:id': { name: 'Taken over' },
      'PATCH /payers/:id': { status: 'Inactive' },
      'POST /payers/:id/merge': { into: 999_999 },
    })[key(r)] ?? {};

  /** Their id for each parameter of each path; a route with a parameter not named here fails the test. */
  function theirIds(r: RouteInfo): Array<Record<string, string>> {
    const p = r.path;
    if (p.startsWith('/imports/templates/')) return [];
    if (p.startsWith('/imports/:id')) return [{ id: theirImportId }];
    if (p.startsWith('/patients/:id')) return [{ id: theirs.patientId }];
    if (p === '/claims/:id/refunds') return [{ id: String(theirs.creditClaimId) }];
    if (p.startsWith('/claims/:id')) return [{ id: String(theirs.owedClaimId) }];
    if (p.startsWith('/notifications/:id')) return [{ id: String(theirNotificationId) }];
    if (p === '/tokens/:id') return [{ id: theirTokenId }];
    if (p === '/users/:id/tokens/:tokenId')
      return [
        { id: userId(other, 'staff'), tokenId: theirTokenId },
        { id: userId(stack.seed, 'staff'), tokenId: theirTokenId },
      ];
    if (p.startsWith('/users/:id')) return [{ id: userId(other, 'staff') }];
    if (p.startsWith('/locations/:id')) return [{ id: other.locations[0]!.id }];
    if (p.startsWith('/payers/:id')) return [{ id: theirPayerId }];
    throw new Error(`the cross-practice sweep does not know the ids of ${key(r)}: add them`);
  }

  it('answers 404 to an admin of this practice, with a token or a page session, and changes nothing of theirs', async () => {
    const before = await snapshot();
    // The page's session cookie is the other way in (its principal is read from the session's user).
    const me = stack.seed.users.find((u) => u.role === 'admin')!;
    const signIn = await rawRequest(
      api.url,
      'POST',
      '/session',
      { 'content-type': 'application/json', origin: api.url },
      JSON.stringify({ email: me.email, password: me.password }),
    );
    expect(signIn.status).toBe(200);
    const cookie = String([signIn.headers['set-cookie']].flat()[0]).split(';')[0]!;
    expect(cookie).toMatch(/^lp_session=./);
    let calls = 0;
    const auths: Array<Record<string, string>> = [{ authorization: `Bearer ${stack.admin}` }, { cookie, origin: api.url }];
    for (const auth of auths)
      for (const r of routes.filter((x) => x.path.includes(':') && !isPublic(x))) {
        for (const ids of theirIds(r)) {
          const path = fillPath(r.path, (param) => ids[param]!);
          const res = await rawRequest(
            api.url,
            r.method,
            path,
            { ...auth, 'content-type': 'application/json' },
            JSON.stringify(bodyFor(r, theirs.creditId)),
          );
          calls++;
          const seen = `${Object.keys(auth)[0]}: ${r.method} ${path} → ${res.status} ${res.text.slice(0, 200)}`;
          expect({ seen, status: res.status }).toEqual({ seen, status: 404 });
          expect(res.text).not.toContain('Fixture');
        }
      }
    // Our own claim with their credit: the credit is not found.
    const mixed = await client(api.url, stack.admin).post(
      `/claims/${ours.owedClaimId}/payments`,
      bodyFor({ method: 'POST', path: '/claims/:id/payments', auditAction: null }, theirs.creditId),
    );
    expect(mixed.status).toBe(404);
    expect(calls).toBeGreaterThanOrEqual(36);
    expect(await snapshot()).toEqual(before);
  });

  // The routes without an id (lists, searches, settings, the audit log, sign-in and session routes)
  // answer from the caller's practice alone: none carries the other practice's names or ids, whatever
  // filter names them, and none changes anything of theirs.
  it('answers every route without an id from this practice alone, whatever filter names theirs', async () => {
    const pool = stack.db.handle.pool;
    const THEIRS = 'Theirmarkq';
    const o = other.practice.id;
    await pool.query(`update patients set last_name = $2 where practice_id = $1`, [o, `${THEIRS} Patient`]);
    await pool.query(`update claims set patient_name = $2 where practice_id = $1`, [o, `${THEIRS}, Pat`]);
    await pool.query(`update locations set name = name || $2 where practice_id = $1`, [o, ` ${THEIRS}`]);
    await pool.query(`update users set name = name || $2 where practice_id = $1`, [o, ` ${THEIRS}`]);
    await pool.query(`update payers set name = name || $2 where practice_id = $1`, [o, ` ${THEIRS}`]);
    await pool.query(`update notifications set message = $2 where id = $1`, [theirNotificationId, `${THEIRS} note`]);
    await pool.query(`update api_tokens set label = $2 where id = $1`, [theirTokenId, `${THEIRS} token`]);
    await pool.query(
      `insert into audit_log (practice_id, user_id, action, resource_type, resource_id, status, detail) values ($1, $2, 'patient.read', 'patient', $3, 200, $4)`,
      [o, userId(other, 'admin'), theirs.patientId, JSON.stringify({ note: THEIRS })],
    );
    const theirUuids = [
      theirImportId,
      theirTokenId,
      theirs.patientId,
      theirs.creditId,
      ...other.users.map((u) => u.id),
      ...other.locations.map((l) => l.id),
    ];
    const filters = [
      '',
      `?locationId=${other.locations[0]!.id}&createdBy=${userId(other, 'staff')}&userId=${userId(other, 'staff')}&search=${THEIRS.slice(0, 6)}&archived=1&status=all`,
      `?search=${theirs.patientId}&payerId=${theirPayerId}&status=failed,queued,ready,completed`,
    ];
    const before = await snapshot();
    const flat = routes.filter((r) => !r.path.includes(':') && !isHealth(r.path));
    expect(flat.map(key)).toEqual(
      expect.arrayContaining(['GET /imports', 'GET /patients', 'GET /payers', 'GET /users', 'GET /tokens', 'GET /audit', 'GET /locations', 'GET /notifications', 'POST /session']),
    );
    const leaks: string[] = [];
    for (const auth of [stack.admin, stack.staff])
      for (const r of flat)
        for (const f of filters) {
          const res = await rawRequest(
            api.url,
            r.method,
            r.path + f,
            { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
            r.method === 'GET' ? undefined : '{}',
          );
          // Our own audit log names the ids our users tried of theirs (the 404 sweep above): what our
          // users sent, not the other practice's data; its lines of theirs carry the marker.
          const sought = r.path === '/audit' ? [THEIRS] : [THEIRS, ...theirUuids];
          const named = sought.filter((s) => res.text.toLowerCase().includes(s.toLowerCase()));
          if (named.length) leaks.push(`${r.method} ${r.path}${f} → ${res.status} names ${named.join(', ')}`);
        }
    expect(leaks).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  async function snapshot() {
    const q = async (sql: string, args: unknown[]) => (await stack.db.handle.pool.query(sql, args)).rows;
    return {
      imports: await q('select id, status, cancel_requested from imports where practice_id = $1', [other.practice.id]),
      users: await q('select id, role, active from users where practice_id = $1 order by id', [other.practice.id]),
      tokens: await q('select id, revoked_at from api_tokens where id = $1', [theirTokenId]),
      claims: await q('select id, balance_cents from claims where practice_id = $1 order by id', [other.practice.id]),
      credits: await q('select id, remaining_cents from patient_credits where practice_id = $1 order by id', [
        other.practice.id,
      ]),
      notifications: await q('select id, read from notifications where id = $1', [theirNotificationId]),
    };
  }
});

// Every route of the router for administrators only (see 'who may call each route').
const ADMINS = [
  'GET /users',
  'POST /users',
  'PATCH /users/:id',
  'POST /users/:id/password-link',
  'GET /users/:id/tokens',
  'DELETE /users/:id/tokens/:tokenId',
  'GET /audit',
  'POST /locations',
  'PATCH /locations/:id',
  'PATCH /practice/settings',
  'PATCH /payers/:id',
  'POST /payers/:id/merge',
  'POST /imports/:id/revert',
  'POST /imports/:id/confirm-empty',
  'POST /imports/:id/retry',
  'POST /imports/:id/cancel',
  'POST /imports/:id/dismiss',
];

describe('staff on the administrators’ routes', () => {
  // The people and audit routes are for a practice's administrators only (other admin routes are
  // checked by their own test files: locations, settings, payers, reverts).
  const ADMIN_ONLY = ADMINS.filter((r) => r.includes(' /users') || r === 'GET /audit');

  it('answers 403 to staff, with a message saying an administrator can, and changes nothing', async () => {
    const before = await stack.db.handle.pool.query('select id, role, active, password_hash from users order by id');
    expect(routes.map(key)).toEqual(expect.arrayContaining(ADMIN_ONLY));
    for (const r of routes.filter((x) => ADMIN_ONLY.includes(key(x)))) {
      const path = fillPath(r.path, (param) => (param === 'id' ? userId(stack.seed, 'admin') : theirTokenId));
      const res = await rawRequest(
        api.url,
        r.method,
        path,
        { authorization: `Bearer ${stack.staff}`, 'content-type': 'application/json' },
        JSON.stringify(key(r) === 'POST /users' ? { email: 'sneaky@example.test', name: 'Sneaky' } : { role: 'staff' }),
      );
      const seen = `${r.method} ${path} → ${res.status} ${res.text.slice(0, 200)}`;
      expect({ seen, status: res.status, code: res.json?.error?.code }).toEqual({ seen, status: 403, code: 'forbidden' });
      expect(res.json?.error?.message).toMatch(/administrator/);
    }
    expect((await stack.db.handle.pool.query('select id, role, active, password_hash from users order by id')).rows).toEqual(before.rows);
  });
});

describe('who may call each route', () => {
  // Every route of the router is named here, once: for administrators only, or for staff too. A route
  // added later fails this test until it is put in one list, and the list is checked against what
  // the route answers staff (403 saying an administrator can, or anything but 403).
  const STAFF_TOO = [
    'GET /config',
    'GET /formats',
    'GET /me',
    'GET /notifications',
    'POST /notifications/read-all',
    'POST /notifications/:id/read',
    'GET /tokens',
    'POST /tokens',
    'DELETE /tokens/:id',
    'GET /column-mappings',
    'POST /column-mappings',
    'GET /locations',
    'GET /practice/settings',
    'GET /payers',
    'GET /patients',
    'GET /patients/:id',
    'GET /patients/:id/claims',
    'GET /patients/:id/credits',
    'POST /patients/:id/credits',
    'POST /claims/:id/payments',
    'POST /claims/:id/refunds',
    'GET /claims/:id',
    'GET /locations/:id/claims',
    'GET /locations/:id/claims/totals',
    'GET /locations/:id/claims.csv',
    'POST /imports',
    'GET /imports',
    'GET /imports/kinds',
    'GET /imports/templates/:kind',
    'GET /imports/:id',
    'GET /imports/:id/errors',
    'GET /imports/:id/preview',
    'GET /imports/:id/review/claims',
    'GET /imports/:id/header',
    'POST /imports/:id/commit',
    'POST /imports/:id/discard',
  ];

  it('names every route of the router in exactly one list', () => {
    const named = [...ADMINS, ...STAFF_TOO, ...PUBLIC];
    expect(new Set(named).size).toBe(named.length);
    const all = routes.filter((r) => !isHealth(r.path)).map(key);
    expect([...all].sort()).toEqual([...named].sort());
  });

  it('answers staff 403 on exactly the administrators’ routes', async () => {
    const refused: string[] = [];
    for (const r of routes.filter((x) => !isPublic(x))) {
      const res = await rawRequest(
        api.url,
        r.method,
        fillPath(r.path, nothing),
        { authorization: `Bearer ${stack.staff}`, 'content-type': 'application/json' },
        r.method === 'GET' ? undefined : '{}',
      );
      if (res.status === 403) {
        expect({ route: key(r), code: res.json?.error?.code }).toEqual({ route: key(r), code: 'forbidden' });
        expect(res.json?.error?.message).toMatch(/administrator/);
        refused.push(key(r));
      }
    }
    expect(refused.sort()).toEqual([...ADMINS].sort());
  });
});
