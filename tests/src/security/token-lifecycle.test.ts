import { pino } from 'pino';
import { loadApiConfig, startApi, type ApiRuntime } from '@ledgerport/api';
import { seedDemo, type SeedResult } from '@ledgerport/db';
import { client } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

// Tokens are issued, listed and revoked through the API, expire, and every change to who may do what
// (a revocation, a deactivation, a new role) takes effect on the very next request on EVERY API
// process, though each remembers tokens for a minute (AUTH_CACHE_MS=60000). Two APIs share the
// database and Redis: changes are made through one, the user polls the other.
const DAY_MS = 24 * 3600_000;

let stack: TestStack;
let apiB: ApiRuntime;
let other: SeedResult;
// API B's clock runs this far ahead of the real one (token expiry without waiting days).
let clockAheadMs = 0;

const staffUser = () => stack.seed.users.find((u) => u.role === 'staff')!;
const adminUser = () => stack.seed.users.find((u) => u.role === 'admin')!;

beforeAll(async () => {
  stack = await startTestStack({ worker: false, env: { AUTH_CACHE_MS: '60000' } });
  apiB = await startApi(loadApiConfig(stack.env), pino({ level: 'silent' }), {
    now: () => new Date(Date.now() + clockAheadMs),
  });
  other = await seedDemo(stack.db.handle.db, { practiceName: 'Other Optometry' });
});
afterAll(async () => {
  await apiB?.close();
  await stack?.close();
});

const onA = (token: string) => client(stack.url, token);
const onB = (token: string) => client(apiB.url, token);
const del = async (base: string, token: string, path: string) => {
  const res = await fetch(base + path, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as any };
};
const patch = async (base: string, token: string, path: string, body: unknown) => {
  const res = await fetch(base + path, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

async function newToken(owner: string, body: object = { label: 'test' }) {
  const r = await onA(owner).post('/tokens', body);
  expect(r.status).toBe(201);
  return r.body as { id: string; token: string; expiresAt: string; createdAt: string; label: string };
}

/** Polls on B until it answers as the page does (two answers: the second comes from B's cache). */
async function pollingOnB(token: string, path = '/imports') {
  expect((await onB(token).get(path)).status).toBe(200);
  expect((await onB(token).get(path)).status).toBe(200);
}

describe('issuing and listing tokens', () => {
  it('shows a new token once, with a 90-day expiry by default, and it works on every API at once', async () => {
    const t = await newToken(stack.staff, { label: 'CLI on the front desk PC' });
    expect(t.token).toMatch(/^lp_staff_/);
    expect(Math.round((Date.parse(t.expiresAt) - Date.parse(t.createdAt)) / DAY_MS)).toBe(90);
    expect((await onB(t.token).get('/me')).body.user.id).toBe(staffUser().id);
    const list = await onA(t.token).get('/tokens');
    const mine = list.body.items.find((i: any) => i.id === t.id);
    expect(mine).toMatchObject({ label: 'CLI on the front desk PC', expired: false, current: true });
    expect(JSON.stringify(list.body)).not.toContain(t.token);
    expect(list.body.items.every((i: any) => !('token' in i) && !('tokenHash' in i))).toBe(true);
  });

  it('takes an expiry in days up to API_TOKEN_MAX_TTL_DAYS, and refuses a token without a label', async () => {
    const t = await newToken(stack.staff, { label: 'nightly upload', expiresInDays: 7 });
    expect(Math.round((Date.parse(t.expiresAt) - Date.parse(t.createdAt)) / DAY_MS)).toBe(7);
    for (const body of [
      { label: 'x', expiresInDays: 366 },
      { label: 'x', expiresInDays: 0 },
      { label: '' },
      {},
      { label: 'x', expiresInDays: 1.5 },
    ]) {
      const r = await onA(stack.staff).post('/tokens', body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/label/);
    }
  });

  it('records when a token was last used, once a minute at most rather than on every request', async () => {
    const t = await newToken(stack.staff);
    const lastUsed = async () =>
      (
        await stack.db.handle.pool.query<{ at: Date | null }>('select last_used_at at from api_tokens where id = $1', [
          t.id,
        ])
      ).rows[0]!.at;
    expect(await lastUsed()).toBeNull();
    await onB(t.token).get('/me');
    let first: Date | null = null;
    for (const deadline = Date.now() + 10_000; !first;) {
      first = await lastUsed();
      if (!first && Date.now() > deadline) throw new Error('last_used_at was never written');
    }
    // Within the minute neither process writes it again: each remembers when it last did, and the
    // row's own guard (last_used_at older than a minute) would refuse a write from a third.
    for (let i = 0; i < 20; i++) await (i % 2 ? onA : onB)(t.token).get('/me');
    expect(await lastUsed()).toEqual(first);
  });
});

describe('taking access away while the user polls another API process', () => {
  it('a token the user revokes fails on the next request', async () => {
    const t = await newToken(stack.staff);
    await pollingOnB(t.token);
    expect(await del(stack.url, stack.staff, `/tokens/${t.id}`)).toEqual({
      status: 200,
      body: { id: t.id, revoked: true },
    });
    const r = await onB(t.token).get('/imports');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    expect((await onA(stack.staff).get('/tokens')).body.items.map((i: any) => i.id)).not.toContain(t.id);
    // Gone is gone: revoking it again finds nothing.
    expect((await del(stack.url, stack.staff, `/tokens/${t.id}`)).status).toBe(404);
  });

  it("a token the practice's admin revokes fails on the next request", async () => {
    const t = await newToken(stack.staff, { label: 'left on a shared PC' });
    await pollingOnB(t.token);
    const listed = await onA(stack.admin).get(`/users/${staffUser().id}/tokens`);
    expect(listed.body.items.find((i: any) => i.id === t.id)).toMatchObject({
      label: 'left on a shared PC',
      current: false,
    });
    expect((await del(stack.url, stack.admin, `/users/${staffUser().id}/tokens/${t.id}`)).status).toBe(200);
    expect((await onB(t.token).get('/imports')).status).toBe(401);
    // The user's other tokens keep working.
    expect((await onB(stack.staff).get('/imports')).status).toBe(200);
  });

  it('a deactivated user is refused on the next request, and a reactivated one let in at once', async () => {
    await pollingOnB(stack.staff);
    expect((await patch(stack.url, stack.admin, `/users/${staffUser().id}`, { active: false })).body).toMatchObject({
      active: false,
    });
    const r = await onB(stack.staff).get('/imports');
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/no longer active/);
    expect((await patch(stack.url, stack.admin, `/users/${staffUser().id}`, { active: true })).status).toBe(200);
    expect((await onB(stack.staff).get('/imports')).status).toBe(200);
  });

  it('a promoted user is an admin on the next request, and a demoted one no longer is', async () => {
    await pollingOnB(stack.staff);
    expect((await onB(stack.staff).get('/users')).status).toBe(403);
    expect((await patch(stack.url, stack.admin, `/users/${staffUser().id}`, { role: 'admin' })).body).toMatchObject({
      role: 'admin',
    });
    expect((await onB(stack.staff).get('/users')).status).toBe(200);
    expect((await onB(stack.staff).get('/me')).body.role).toBe('admin');
    expect((await patch(stack.url, stack.admin, `/users/${staffUser().id}`, { role: 'staff' })).status).toBe(200);
    const r = await onB(stack.staff).get('/users');
    expect(r.status).toBe(403);
    expect((await onB(stack.staff).get('/me')).body.role).toBe('staff');
  });

  it('keeps the last active admin: one cannot demote or deactivate themselves when no other admin is left', async () => {
    for (const change of [{ role: 'staff' }, { active: false }]) {
      const r = await patch(stack.url, stack.admin, `/users/${adminUser().id}`, change);
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('last_admin');
    }
    expect((await onB(stack.admin).get('/users')).status).toBe(200);
  });

  it('an expired token is refused with a message that says it expired', async () => {
    const t = await newToken(stack.staff, { label: 'one day', expiresInDays: 1 });
    await pollingOnB(t.token);
    clockAheadMs = DAY_MS + 60_000;
    try {
      const r = await onB(t.token).get('/imports');
      expect(r.status).toBe(401);
      expect(r.body.error).toEqual({
        code: 'token_expired',
        message: expect.stringMatching(/^This API token expired on \d{4}-\d\d-\d\d\. Make a new one/),
      });
      // A 90-day token is still good a day later.
      expect((await onB(stack.staff).get('/imports')).status).toBe(200);
    } finally {
      clockAheadMs = 0;
    }
    // Listed as expired; and one whose expiry has passed in the database is refused by every process.
    expect((await onA(stack.staff).get('/tokens')).body.items.find((i: any) => i.id === t.id)).toMatchObject({
      expired: false,
    });
    await stack.db.handle.pool.query("update api_tokens set expires_at = now() - interval '1 second' where id = $1", [
      t.id,
    ]);
    const fresh = await newToken(stack.staff, { label: 'fresh' });
    await stack.db.handle.pool.query("update api_tokens set expires_at = now() - interval '1 second' where id = $1", [
      fresh.id,
    ]);
    expect((await onA(fresh.token).get('/me')).body.error.code).toBe('token_expired');
    expect((await onB(fresh.token).get('/me')).body.error.code).toBe('token_expired');
    expect((await onA(stack.staff).get('/tokens')).body.items.find((i: any) => i.id === fresh.id)).toMatchObject({
      expired: true,
    });
  });
});

describe('who may see and revoke whose tokens', () => {
  it('forbids staff the user administration', async () => {
    const id = adminUser().id;
    expect((await onA(stack.staff).get('/users')).status).toBe(403);
    expect((await onA(stack.staff).get(`/users/${id}/tokens`)).status).toBe(403);
    expect((await patch(stack.url, stack.staff, `/users/${id}`, { active: false })).status).toBe(403);
    expect((await del(stack.url, stack.staff, `/users/${id}/tokens/${stack.seed.users[0]!.id}`)).status).toBe(403);
  });

  it("answers 404 to another practice's users and tokens", async () => {
    const t = await newToken(stack.staff, { label: 'mine' });
    const otherAdmin = other.users.find((u) => u.role === 'admin')!.token;
    const staffId = staffUser().id;
    expect((await onA(otherAdmin).get(`/users/${staffId}/tokens`)).status).toBe(404);
    expect((await del(stack.url, otherAdmin, `/users/${staffId}/tokens/${t.id}`)).status).toBe(404);
    expect((await del(stack.url, otherAdmin, `/tokens/${t.id}`)).status).toBe(404);
    const otherStaffId = other.users.find((u) => u.role === 'staff')!.id;
    expect((await del(stack.url, otherAdmin, `/users/${otherStaffId}/tokens/${t.id}`)).status).toBe(404);
    expect((await patch(stack.url, otherAdmin, `/users/${staffId}`, { active: false })).status).toBe(404);
    expect((await onA(otherAdmin).get('/users')).body.items.map((u: any) => u.id)).not.toContain(staffId);
    // A user cannot revoke a colleague's token through their own list either.
    expect((await del(stack.url, stack.admin, `/tokens/${t.id}`)).status).toBe(404);
    expect((await onB(t.token).get('/me')).status).toBe(200);
  });
});
