import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';
import { client } from './support/http.js';
import { startTestStack } from './support/test-stack.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const counts = async () =>
  (await db.handle.pool.query(`select (select count(*) from practices) p, (select count(*) from locations) l,
    (select count(*) from users) u, (select count(*) from api_tokens) t,
    (select count(*) from operators) o, (select count(*) from operator_tokens) ot`)).rows[0];

it('`npm run seed -- --json` prints the demo practice, sign-ins and tokens, and a second run duplicates nothing', () => {
  const run = () =>
    spawnSync('npm', ['run', '--silent', 'seed', '--', '--json'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
  const first = run();
  expect(first.status).toBe(0);
  const seed = JSON.parse(first.stdout.trim().split('\n').at(-1)!);
  expect(seed).toEqual({
    practice: { id: expect.any(String), name: 'Demo Eye Care' },
    locations: [
      { id: expect.any(String), name: 'Main Street' },
      { id: expect.any(String), name: 'Riverside' },
    ],
    users: [
      { role: 'admin', email: 'admin@demo-eye-care.test', password: expect.stringMatching(/^demo-.{12}$/), token: expect.stringMatching(/^lp_admin_/) },
      { role: 'staff', email: 'staff@demo-eye-care.test', password: expect.stringMatching(/^demo-.{12}$/), token: expect.stringMatching(/^lp_staff_/) },
    ],
    operator: { name: 'Demo operator', token: expect.stringMatching(/^lp_operator_/) },
  });
  return counts().then(async (c1) => {
    expect(c1).toEqual({ p: 1, l: 2, u: 2, t: 2, o: 1, ot: 1 });
    const second = run();
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout.trim().split('\n').at(-1)!).practice.id).toBe(seed.practice.id);
    expect(await counts()).toEqual(c1);
  });
}, 180_000);

it('rotates the demo tokens on a second run: the old ones stop working', async () => {
  const stack = await startTestStack({ worker: false });
  try {
    const { seedDemo } = await import('@ledgerport/db');
    const again = await seedDemo(stack.db.handle.db);
    expect((await client(stack.url, stack.admin).get('/me')).status).toBe(401);
    const fresh = again.users.find((u) => u.role === 'admin')!.token;
    expect((await client(stack.url, fresh).get('/me')).body.role).toBe('admin');
  } finally {
    await stack.close();
  }
});
