import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pino } from 'pino';
import { loadApiConfig, startApi } from '@ledgerport/api';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';
import { redisUrl, removeRedisKeys } from './support/test-stack.js';

// `npm run practice -- create …`: an operator makes a practice and its first administrator, and gets
// the invitation link to pass on; following it, the administrator sets a password and is signed in.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const practice = (...args: string[]) =>
  spawnSync('npm', ['run', '--silent', 'practice', '--', ...args], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: db.url, PUBLIC_URL: 'https://ledgerport.example.test' },
    encoding: 'utf8',
  });

it('creates a practice with its first administrator and prints a working invitation link', async () => {
  const run = practice('create', '--name', 'Lakeside Eye Care', '--admin-email', 'ann@lakeside.test', '--admin-name', 'Ann Lee', '--json');
  expect(run.status).toBe(0);
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  expect(out).toEqual({
    practice: { id: expect.any(String), name: 'Lakeside Eye Care' },
    admin: { id: expect.any(String), email: 'ann@lakeside.test', name: 'Ann Lee' },
    invitation: { url: expect.stringMatching(/^https:\/\/ledgerport\.example\.test\/#\/set-password\/[\w-]{40,}$/), expiresAt: expect.any(String) },
  });
  const { rows } = await db.handle.pool.query('select role, active, password_hash from users where id = $1', [out.admin.id]);
  expect(rows).toEqual([{ role: 'admin', active: true, password_hash: null }]);

  // Its queue's keys go with it: the API writes a queue's meta on start, and a run left them behind.
  const prefix = `lpt-practice-${process.pid}`;
  const api = await startApi(
    loadApiConfig({ DATABASE_URL: db.url, REDIS_URL: redisUrl(), QUEUE_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'silent' }),
    pino({ level: 'silent' }),
  );
  try {
    const token = out.invitation.url.split('/').pop();
    const set = await fetch(`${api.url}/password-links/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'lakeside passphrase' }),
    });
    expect(set.status).toBe(200);
    const cookie = /lp_session=[^;]+/.exec(set.headers.get('set-cookie') ?? '')![0];
    const me = await (await fetch(`${api.url}/me`, { headers: { cookie } })).json();
    expect(me).toMatchObject({ role: 'admin', practice: { name: 'Lakeside Eye Care' }, user: { email: 'ann@lakeside.test' } });
  } finally {
    await api.close();
    await removeRedisKeys(prefix);
  }

  const plain = practice('create', '--name', 'Hillside Optometry', '--admin-email', 'hal@hillside.test');
  expect(plain.status).toBe(0);
  expect(plain.stdout).toMatch(/^practice: Hillside Optometry \(.+\)\nadministrator: hal <hal@hillside\.test>\ninvitation link: https:\/\/\S+\nPass the link on/m);
}, 180_000);

it('refuses a practice name or an email already taken, leaving nothing half made', async () => {
  const taken = practice('create', '--name', 'Lakeside Eye Care', '--admin-email', 'other@lakeside.test');
  expect(taken.status).toBe(1);
  expect(taken.stderr).toContain('A practice named "Lakeside Eye Care" already exists');
  const email = practice('create', '--name', 'Brand New Practice', '--admin-email', 'ANN@lakeside.test');
  expect(email.status).toBe(1);
  expect(email.stderr).toContain('Someone already signs in to Ledgerport with ANN@lakeside.test');
  const { rows } = await db.handle.pool.query(`select count(*)::int as n from practices where name = 'Brand New Practice'`);
  expect(rows[0].n).toBe(0);
}, 180_000);

it('says how to call it when something is missing', () => {
  for (const args of [[], ['create', '--name', 'X'], ['create', '--admin-email', 'a@b.test'], ['delete', '--name', 'X', '--admin-email', 'a@b.test']]) {
    const run = practice(...args);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('usage: npm run practice -- create --name');
  }
}, 180_000);
