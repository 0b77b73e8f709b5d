// The benchmark itself at a small size: it must run end to end, print its table, and find the
// re-import summary exact. Timing and memory targets are not asserted here (no timed assertions);
// `npm run bench` judges them at full size.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';

const ROOT = path.resolve(__dirname, '../..');

// The bench migrates the database of DATABASE_URL before it starts: one of this test's own, never the
// machine's shared one, which another checkout may have migrated further.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('npm run bench -- --smoke', () => {
  it('runs the floor and the pipeline on 20,000 rows and prints the table with an exact re-import summary', () => {
    const r = spawnSync('npm', ['run', '--silent', 'bench', '--', '--rows', '20000', '--smoke'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: db.url, TURBO_TELEMETRY_DISABLED: '1' },
      timeout: 300_000,
    });
    const out = r.stdout ?? '';
    if (r.status !== 0)
      process.stderr.write(`bench exited ${r.status ?? r.signal}\n${out}\n${(r.stderr ?? '').slice(-4000)}\n`);
    expect(r.status).toBe(0);
    expect(out).toContain('rows/s');
    for (const measure of [
      'lean floor: first import',
      'lean floor: re-import',
      'floor: first import',
      'pipeline: first import',
      'pipeline: re-import',
      'worker peak RSS',
      'API peak RSS',
      'upload → active p95',
      'GET /imports/:id p95',
      'longest progress stall',
      'ETA error',
    ]) {
      expect(out).toContain(measure);
    }
    expect(out).toMatch(/\| first import summary\s+\|.*\| PASS\s+\|/);
    expect(out).toMatch(
      /\| re-import summary\s+\|.*new 0, updated 1,000, unchanged 18,000, resolved 1,000.*\| PASS\s+\|/,
    );
  }, 300_000);
});
