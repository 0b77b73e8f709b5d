import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findOperatorByTokenHash, findPrincipalByTokenHash, hashToken } from '@ledgerport/db';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const operator = (...args: string[]) =>
  spawnSync('npm', ['run', '--silent', 'operator', '--', ...args], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: db.url },
    encoding: 'utf8',
  });

it('`npm run operator -- create --name` makes an operator of no practice and prints its token once, stored hashed', async () => {
  const run = operator('create', '--name', 'Olive Operator', '--json');
  expect(run.status).toBe(0);
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  expect(out).toEqual({
    operator: { id: expect.any(String), name: 'Olive Operator' },
    token: expect.stringMatching(/^lp_operator_/),
  });
  expect(await findOperatorByTokenHash(db.handle.db, hashToken(out.token))).toEqual(out.operator);
  // An operator's token is no practice user's token.
  expect(await findPrincipalByTokenHash(db.handle.db, hashToken(out.token))).toBeNull();
  const stored = await db.handle.pool.query('select token_hash from operator_tokens');
  expect(stored.rows).toEqual([{ token_hash: hashToken(out.token) }]);

  const again = operator('create', '--name', 'Olive Operator');
  expect(again.status).toBe(1);
  expect(again.stderr).toContain('An operator named "Olive Operator" already exists');

  const plain = operator('create', '--name', 'Otto Operator');
  expect(plain.status).toBe(0);
  expect(plain.stdout).toMatch(/^operator: Otto Operator \(.+\)\ntoken: lp_operator_\S+\nKeep the token now/m);
}, 180_000);

it('says how to call it when the command or the name is missing', () => {
  for (const args of [[], ['create'], ['remove', '--name', 'X'], ['create', '--name', '  ']]) {
    const run = operator(...args);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('usage: npm run operator -- create --name "<name>"');
  }
}, 180_000);
