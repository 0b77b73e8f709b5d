import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The import state machine stays readable in one folder only while nothing else writes the table:
// every status change is a function of transitions.ts, every other write one of this folder's files.
// Migrations are history (a backfill is a write), and the cross-app tests in tests/ set up imports in
// a given state by hand, so neither is scanned.
const ROOT = path.resolve(__dirname, '../../../..');
const OWNER = path.join(ROOT, 'packages/db/src/imports');
const MIGRATIONS = path.join(ROOT, 'packages/db/src/migrations');
const WRITES = [/\bupdate\s+imports\b/i, /updateTable\(\s*['"`]imports\b/];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' || p === OWNER || p === MIGRATIONS ? [] : sources(p);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

it('nothing outside packages/db/src/imports writes to the imports table', () => {
  const scanned = ['apps', 'packages'].flatMap((top) =>
    readdirSync(path.join(ROOT, top)).map((d) => path.join(ROOT, top, d, 'src')),
  ).flatMap((src) => {
    try {
      return sources(src);
    } catch {
      return [];
    }
  });
  expect(scanned.length).toBeGreaterThan(50);
  const offenders = scanned.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (WRITES.some((w) => w.test(line)) ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(offenders).toEqual([]);
});

it('the scan finds a write where there is one', () => {
  expect(WRITES.some((w) => w.test("await db.updateTable('imports').set({ status: 'queued' })"))).toBe(true);
  expect(WRITES.some((w) => w.test('update imports set status = $2 where id = $1'))).toBe(true);
  expect(WRITES.some((w) => w.test('update import_row_errors set value = $1'))).toBe(false);
});
