import { pino } from 'pino';
import { loadApiConfig, startApi } from '@ledgerport/api';
import { seedDemo, type SeedResult } from '@ledgerport/db';
import { client } from '../support/http.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { waitUntil } from '../support/wait.js';

// People sign in to the page with an email and a password and get a session cookie; admins invite
// users and issue reset links (shown to them to pass on); deactivation and a new role count from the
// very next request; wrong passwords are limited per account and per address; changes sent with the
// cookie must come from the page's own origin.

let stack: TestStack;
let other: SeedResult;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  other = await seedDemo(stack.db.handle.db, { practiceName: 'Other Optometry' });
});
afterAll(async () => {
  await stack?.close();
});

const adminUser = () => stack.seed.users.find((u) => u.role === 'admin')!;
const staffUser = () => stack.seed.users.find((u) => u.role === 'staff')!;

/** A browser-like client: keeps the session cookie and sends the page's Origin. */
function browser(base: string, origin: string | null = base) {
  let cookie = '';
  const send = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (origin) headers.origin = origin;
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = /lp_session=([^;]*)/.exec(set);
      if (m) cookie = m[1] ? `lp_session=${m[1]}` : '';
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      // 204
    }
    return { status: res.status, body: json, setCookie: set, headers: res.headers };
  };
  return {
    send,
    get: (path: string) => send('GET', path),
    post: (path: string, body?: unknown) => send('POST', path, body),
    patch: (path: string, body?: unknown) => send('PATCH', path, body),
    signIn: (email: string, password: string) => send('POST', '/session', { email, password }),
    get cookie() {
      return cookie;
    },
    set cookie(c: string) {
      cookie = c;
    },
  };
}

describe('signing in with an email and a password', () => {
  it('starts a session in an HttpOnly, SameSite=Strict cookie and answers /me with it', async () => {
    const b = browser(stack.url);
    const r = await b.signIn(staffUser().email.toUpperCase(), staffUser().password);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ expiresAt: expect.any(String), idleMinutes: 30 });
    expect(r.setCookie).toMatch(/lp_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict/);
    expect(r.setCookie).not.toMatch(/Secure/);
    const me = await b.get('/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: staffUser().email, role: 'staff' });
    expect((await b.get('/imports')).status).toBe(200);
    // The id in the cookie is not what is stored: only its hash is.
    const stored = await stack.db.handle.pool.query('select id_hash from user_sessions');
    expect(stored.rows.map((x) => x.id_hash)).not.toContain(b.cookie.replace('lp_session=', ''));
  });

  it('refuses a wrong password and an unknown email with the same words', async () => {
    const wrong = await browser(stack.url).signIn(staffUser().email, 'not the password');
    const nobody = await browser(stack.url).signIn('nobody@example.test', 'whatever it is');
    expect(wrong.status).toBe(401);
    expect(nobody.status).toBe(401);
    expect(wrong.body.error.code).toBe('sign_in_failed');
    expect(wrong.body.error).toEqual(nobody.body.error);
    expect(wrong.body.error.message).toMatch(/do not match.*reset link/);
  });

  it('ends the session on sign-out, on the server too', async () => {
    const b = browser(stack.url);
    await b.signIn(staffUser().email, staffUser().password);
    const kept = b.cookie;
    const out = await b.post('/session/sign-out');
    expect(out.status).toBe(204);
    expect(out.setCookie).toMatch(/lp_session=;/);
    b.cookie = kept; // a copy of the old cookie is worth nothing now
    const me = await b.get('/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('session_ended');
  });

  it('marks the cookie Secure when SESSION_COOKIE_SECURE says so, and ends an idle session', async () => {
    const api = await startApi(
      loadApiConfig({ ...stack.env, SESSION_COOKIE_SECURE: 'true', SESSION_IDLE_MINUTES: '1' }),
      pino({ level: 'silent' }),
    );
    try {
      const b = browser(api.url);
      const r = await b.signIn(staffUser().email, staffUser().password);
      expect(r.setCookie).toMatch(/; Secure/);
      expect((await b.get('/me')).status).toBe(200);
      // Two minutes without a request, as the database's clock sees it.
      await stack.db.handle.pool.query(`update user_sessions set last_seen_at = now() - interval '2 minutes'`);
      expect((await b.get('/me')).status).toBe(401);
      // An absolute lifetime too: a session used all along still ends SESSION_MAX_HOURS after sign-in.
      await b.signIn(staffUser().email, staffUser().password);
      await stack.db.handle.pool.query(`update user_sessions set created_at = now() - interval '13 hours'`);
      expect((await b.get('/me')).status).toBe(401);
    } finally {
      await api.close();
    }
  });
});

describe('changes sent with the cookie', () => {
  it("are refused from another site's page, or with no Origin at all, and nothing changes", async () => {
    const b = browser(stack.url);
    await b.signIn(staffUser().email, staffUser().password);
    const evil = browser(stack.url, 'https://evil.example');
    evil.cookie = b.cookie;
    const fromEvil = await evil.post('/tokens', { label: 'stolen' });
    expect(fromEvil.status).toBe(403);
    expect(fromEvil.body.error.code).toBe('cross_site_request');
    const noOrigin = browser(stack.url, null);
    noOrigin.cookie = b.cookie;
    expect((await noOrigin.post('/tokens', { label: 'stolen' })).status).toBe(403);
    // Reading is not a change: the same cookie reads.
    expect((await evil.get('/me')).status).toBe(200);
    const tokens = await b.get('/tokens');
    expect(tokens.body.items.map((t: any) => t.label)).not.toContain('stolen');
    // From the page's own origin it works, and the user makes and revokes their own API token.
    const made = await b.post('/tokens', { label: 'nightly script' });
    expect(made.status).toBe(201);
    expect((await client(stack.url, made.body.token).get('/me')).status).toBe(200);
    expect((await b.send('DELETE', `/tokens/${made.body.id}`)).status).toBe(200);
    expect((await client(stack.url, made.body.token).get('/me')).status).toBe(401);
  });

  it('refuses a sign-in posted from another site', async () => {
    const r = await browser(stack.url, 'https://evil.example').signIn(staffUser().email, staffUser().password);
    expect(r.status).toBe(403);
    expect(r.setCookie).toBeNull();
  });
});

describe('invitations and reset links', () => {
  it('lets an admin invite a user, who sets a password through the link and is signed in', async () => {
    const admin = browser(stack.url);
    await admin.signIn(adminUser().email, adminUser().password);
    const inv = await admin.post('/users', {
      email: 'new.biller@demo-eye-care.test',
      name: 'Nia Biller',
      role: 'staff',
    });
    expect(inv.status).toBe(201);
    expect(inv.body.user).toMatchObject({ name: 'Nia Biller', role: 'staff', active: true, hasPassword: false });
    expect(inv.body.link).toEqual({
      purpose: 'invite',
      url: expect.stringMatching(new RegExp(`^${stack.url}/#/set-password/[\\w-]{40,}$`)),
      expiresAt: expect.any(String),
      sent: false,
    });
    const token = inv.body.link.url.split('/').pop();
    // Until then they cannot sign in.
    expect((await browser(stack.url).signIn('new.biller@demo-eye-care.test', 'anything at all')).status).toBe(401);

    const nia = browser(stack.url);
    const view = await nia.get(`/password-links/${token}`);
    expect(view.body).toEqual({
      purpose: 'invite',
      email: 'new.biller@demo-eye-care.test',
      name: 'Nia Biller',
      practice: { name: 'Demo Eye Care' },
    });
    const short = await nia.post(`/password-links/${token}`, { password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error).toEqual({
      code: 'weak_password',
      message: 'Choose a password of at least 10 characters.',
    });
    const set = await nia.post(`/password-links/${token}`, { password: 'a long enough passphrase' });
    expect(set.status).toBe(200);
    expect((await nia.get('/me')).body.user.name).toBe('Nia Biller');
    // One use only.
    const again = await browser(stack.url).post(`/password-links/${token}`, { password: 'another passphrase' });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('link_not_valid');
    expect((await browser(stack.url).signIn('new.biller@demo-eye-care.test', 'a long enough passphrase')).status).toBe(
      200,
    );

    // An email already in use (in any practice, in any case) is refused.
    const dup = await admin.post('/users', { email: other.users[0]!.email.toUpperCase(), name: 'X' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('email_taken');
  });

  it('lets an admin issue a reset link that signs the user out everywhere and replaces the password', async () => {
    const admin = browser(stack.url);
    await admin.signIn(adminUser().email, adminUser().password);
    const victim = (await admin.post('/users', { email: 'reset.me@demo-eye-care.test', name: 'Rae Set' })).body;
    const first = victim.link.url.split('/').pop();
    expect((await browser(stack.url).post(`/password-links/${first}`, { password: 'first passphrase!' })).status).toBe(
      200,
    );
    const rae = browser(stack.url);
    await rae.signIn('reset.me@demo-eye-care.test', 'first passphrase!');

    const reset = await admin.post(`/users/${victim.user.id}/password-link`);
    expect(reset.status).toBe(201);
    expect(reset.body.link.purpose).toBe('reset');
    const older = await admin.post(`/users/${victim.user.id}/password-link`);
    // Only the newest link works.
    expect((await browser(stack.url).get(`/password-links/${reset.body.link.url.split('/').pop()}`)).status).toBe(404);
    const newest = older.body.link.url.split('/').pop();
    expect(
      (await browser(stack.url).post(`/password-links/${newest}`, { password: 'second passphrase!' })).status,
    ).toBe(200);
    expect((await rae.get('/me')).status).toBe(401);
    expect((await browser(stack.url).signIn('reset.me@demo-eye-care.test', 'first passphrase!')).status).toBe(401);
    expect((await browser(stack.url).signIn('reset.me@demo-eye-care.test', 'second passphrase!')).status).toBe(200);
  });

  it('keeps invitations, reset links and the users list to admins of the practice', async () => {
    const staff = browser(stack.url);
    await staff.signIn(staffUser().email, staffUser().password);
    expect((await staff.get('/users')).status).toBe(403);
    expect((await staff.post('/users', { email: 'x@y.test', name: 'X' })).status).toBe(403);
    expect((await staff.post(`/users/${adminUser().id}/password-link`)).status).toBe(403);
    const admin = browser(stack.url);
    await admin.signIn(adminUser().email, adminUser().password);
    expect((await admin.post(`/users/${other.users[0]!.id}/password-link`)).status).toBe(404);
  });
});

describe('deactivation, reactivation and roles', () => {
  it('ends a deactivated user’s sessions at once and takes a new role from the next request', async () => {
    const admin = browser(stack.url);
    await admin.signIn(adminUser().email, adminUser().password);
    const u = (await admin.post('/users', { email: 'leaving@demo-eye-care.test', name: 'Lee Ving' })).body;
    await browser(stack.url).post(`/password-links/${u.link.url.split('/').pop()}`, { password: 'leaving passphrase' });
    const lee = browser(stack.url);
    await lee.signIn('leaving@demo-eye-care.test', 'leaving passphrase');
    expect((await lee.get('/users')).status).toBe(403);

    expect((await admin.patch(`/users/${u.user.id}`, { role: 'admin' })).status).toBe(200);
    expect((await lee.get('/users')).status).toBe(200);
    expect((await admin.patch(`/users/${u.user.id}`, { role: 'staff' })).status).toBe(200);
    expect((await lee.get('/users')).status).toBe(403);

    expect((await admin.patch(`/users/${u.user.id}`, { active: false })).status).toBe(200);
    const gone = await lee.get('/me');
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe('session_ended');
    expect((await browser(stack.url).signIn('leaving@demo-eye-care.test', 'leaving passphrase')).status).toBe(401);
    expect((await admin.post(`/users/${u.user.id}/password-link`)).status).toBe(409);

    expect((await admin.patch(`/users/${u.user.id}`, { active: true })).status).toBe(200);
    expect((await browser(stack.url).signIn('leaving@demo-eye-care.test', 'leaving passphrase')).status).toBe(200);
  });

  it('refuses to let the last admin step down or deactivate themselves, in plain words', async () => {
    const admin = browser(stack.url);
    await admin.signIn(
      other.users.find((x) => x.role === 'admin')!.email,
      other.users.find((x) => x.role === 'admin')!.password,
    );
    const me = other.users.find((x) => x.role === 'admin')!.id;
    for (const change of [{ role: 'staff' }, { active: false }]) {
      const r = await admin.patch(`/users/${me}`, change);
      expect(r.status).toBe(409);
      expect(r.body.error).toEqual({
        code: 'last_admin',
        message: expect.stringMatching(/last active administrator.*someone else/),
      });
    }
  });
});

describe('wrong passwords', () => {
  it('are limited per account, and per address, across API processes', async () => {
    const env = {
      ...stack.env,
      QUEUE_PREFIX: `${stack.env.QUEUE_PREFIX}:signin`,
      SIGN_IN_FAILURES_PER_ACCOUNT: '3',
      SIGN_IN_FAILURES_PER_IP: '6',
    };
    const a = await startApi(loadApiConfig(env), pino({ level: 'silent' }));
    const b = await startApi(loadApiConfig(env), pino({ level: 'silent' }));
    try {
      const apis = [a.url, b.url];
      const email = staffUser().email;
      for (let i = 0; i < 3; i++) expect((await browser(apis[i % 2]!).signIn(email, `wrong ${i}`)).status).toBe(401);
      // The right password waits too: the guesser cannot tell it from a wrong one.
      const limited = await browser(b.url).signIn(email, staffUser().password);
      expect(limited.status).toBe(429);
      expect(limited.body.error.message).toMatch(/Too many wrong passwords.*Try again in \d+ second/);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
      // Another account from the same address still signs in …
      expect((await browser(a.url).signIn(adminUser().email, adminUser().password)).status).toBe(200);
      // … until the address has had its share of wrong passwords, whatever the account.
      for (let i = 0; i < 3; i++) await browser(apis[i % 2]!).signIn(`nobody${i}@example.test`, 'wrong');
      expect((await browser(a.url).signIn(adminUser().email, adminUser().password)).status).toBe(429);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('the audit log', () => {
  it('has sign-ins, failed sign-ins, invitations, links, password changes and sign-outs', async () => {
    const actions = async () =>
      (
        await stack.db.handle.pool.query<{ action: string }>(
          `select distinct action from audit_log where practice_id = $1`,
          [stack.seed.practice.id],
        )
      ).rows.map((r) => r.action);
    const want = [
      'session.start',
      'session.sign_in_failed',
      'session.end',
      'user.invite',
      'user.password_link',
      'user.password_set',
      'user.update',
    ];
    // Written without the request waiting: wait for them to land (and then say which did not).
    await waitUntil('every sign-in action in the audit log', async () => {
      const seen = await actions();
      return want.every((w) => seen.includes(w));
    }, 10_000).catch(() => undefined);
    expect(await actions()).toEqual(expect.arrayContaining(want));
  });
});
