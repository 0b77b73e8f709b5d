// The benchmark itself at a small size: it must run end to end, print its table, and find the
// re-import summary exact. Timing and memory targets are not asserted here (no timed assertions);
// `npm run bench` judges them at full size.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';

const ROOT = path.resolve(__dirname, '../..');
// Built by set-up, like the worker the other tests spawn.
const BENCH = path.join(ROOT, 'tests/dist/bench/bench.js');

// DATABASE_URL names a database of this test's own, never the machine's shared one, which another
// checkout may have migrated further.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('the benchmark (npm run bench -- --smoke)', () => {
  it('runs the floor and the pipeline on 5,000 rows and prints the table with an exact re-import summary', () => {
    // The benchmark itself, not `npm run bench`: that one sets up first (install check, turbo build,
    // services, migrations), which `npm test` has done before jest starts, and which took seconds of
    // the suite inside this test. The database is a clone of the migrated template.
    const r = spawnSync(process.execPath, [BENCH, '--rows', '5000', '--smoke'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: db.url },
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
      /\| re-import summary\s+\|.*new 0, updated 250, unchanged 4,500, resolved 250.*\| PASS\s+\|/,
    );
  }, 300_000);
});
