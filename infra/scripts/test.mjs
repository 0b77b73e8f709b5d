// `npm test`: set up, build a migrated template database once, then run every test with jest.
// Each integration test file clones the template into a database of its own and uses its own queue
// prefix, so files run in parallel and leave nothing behind.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BUILT_ENV, defaults, ensureDatabase, log, main, migrate, root, setup } from './services.mjs';

const adminUrl = process.env.DATABASE_URL ?? defaults.DATABASE_URL.replace(/\/[^/]*$/, '/postgres');
const redisUrl = process.env.REDIS_URL ?? defaults.REDIS_URL;
// Named after the migrations it holds (names and contents): two checkouts with different migrations (a branch, a clone in a
// temp dir) never share a template that one of them migrated further than the other knows.
const migrationsDir = path.join(root, 'packages/db/src/migrations');
const migrationsHash = createHash('sha256');
for (const f of readdirSync(migrationsDir).sort()) migrationsHash.update(f).update(readFileSync(path.join(migrationsDir, f)));
const template = `lp_tpl_${migrationsHash.digest('hex').slice(0, 12)}`;

function withDb(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// Per-file databases are named lp_test_<base36 ms>_<random>; one older than this was left by a run
// that was killed, while a younger one may belong to a run still going on this machine.
const STALE_MS = 60 * 60 * 1000;

async function dropLeftovers(pg) {
  const client = new pg.Client({ connectionString: withDb(adminUrl, 'postgres') });
  client.on('error', () => undefined); // a connection lost while idle must not crash the script
  await client.connect();
  try {
    const { rows } = await client.query(`select datname from pg_database where datname like 'lp\\_test\\_%'`);
    for (const { datname } of rows) {
      const born = parseInt(datname.split('_')[2] ?? '', 36);
      if (!Number.isFinite(born) || Date.now() - born > STALE_MS) await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

/** The browser tests drive Debian's chromium; install it once when it is missing and we may. */
function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0) {
    log('chromium is not installed and this is not root: run `sudo apt-get install -y chromium` for the browser tests');
    return;
  }
  log('installing chromium for the browser tests (apt-get) …');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

await main(async () => {
  await setup({ databaseUrl: withDb(adminUrl, 'postgres'), redisUrl, skipMigrate: true });
  ensureChromium();
  const { default: pg } = await import('pg');
  await dropLeftovers(pg);
  const templateUrl = withDb(adminUrl, template);
  await ensureDatabase(templateUrl);
  await migrate(templateUrl);
  log('running tests …');
  const args = process.argv.slice(2);
  const resultFile = path.join(root, 'node_modules/.cache/jest-results.json');
  mkdirSync(path.dirname(resultFile), { recursive: true });
  const r = spawnSync('npx', ['jest', '--ci', '--json', `--outputFile=${resultFile}`, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      LEDGERPORT_TEST_DATABASE_URL: templateUrl,
      LEDGERPORT_TEST_REDIS_URL: redisUrl,
      TURBO_TELEMETRY_DISABLED: '1',
      [BUILT_ENV]: '1',
    },
  });
  await dropLeftovers(pg);
  // One plain closing line that any CI can read, whatever the runner prints.
  try {
    const res = JSON.parse(readFileSync(resultFile, 'utf8'));
    process.stdout.write(`\ntests: ${res.numPassedTests} passed, ${res.numFailedTests} failed\n`);
  } catch {
    process.stdout.write('\ntests: 0 passed, 1 failed\n');
  }
  process.exitCode = r.status ?? 1;
});
