// The chaos run's own PostgreSQL cluster and Redis, on free ports in a temporary directory, started
// from the local binaries: it stops, kills and restarts them, so it must never touch shared ones.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

function which(bin: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The directory holding initdb and pg_ctl: on the PATH, else Debian's newest /usr/lib/postgresql/N/bin. */
function postgresBinDir(): string {
  const initdb = which('initdb');
  if (initdb && existsSync(path.join(path.dirname(initdb), 'pg_ctl'))) return path.dirname(initdb);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(path.join(root, v, 'bin/initdb'))) return path.join(root, v, 'bin');
  throw new Error('initdb and pg_ctl were not found; install PostgreSQL (Debian: apt-get install postgresql)');
}

/** Postgres refuses to run as root: as root, the cluster runs as the `postgres` system user. */
function clusterUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('running as root, and there is no postgres user to run the cluster as');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status}): ${String(r.stderr)}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on port ${port} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PostgresCluster {
  /** the server, database `postgres` */
  url: string;
  start(): Promise<void>;
  /** `immediate` is a crash as far as the data is concerned: recovery replays WAL, unlogged tables empty */
  stop(mode: 'fast' | 'immediate'): void;
}

/**
 * initdb into `dir`/pgdata and start it on a free port. fsync is off: nothing here outlives the run,
 * and an immediate stop is not an OS crash (written WAL is in the page cache), so recovery is the same.
 */
export async function startPostgresCluster(dir: string): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const user = clusterUser();
  const as: SpawnSyncOptions = user ? { uid: user.uid, gid: user.gid } : {};
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'pgdata');
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], as);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const cluster: PostgresCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      run(
        path.join(bin, 'pg_ctl'),
        ['-D', data, '-l', path.join(dir, 'postgres.log'), '-o', options, '-w', '-t', '120', 'start'],
        as,
      );
      await waitForPort(port, 'PostgreSQL');
    },
    stop(mode) {
      run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop'], as);
    },
  };
  await cluster.start();
  return cluster;
}

export interface RedisServer {
  url: string;
  /** kill -9: what it had not yet written to its append-only file is gone (nothing is: it writes every command) */
  kill(): Promise<void>;
  /**
   * Starts it; `keepData: false` first deletes what it persisted, as a restart of a Redis without
   * persistence (or whose disk was lost) finds nothing.
   */
  start(opts?: { keepData?: boolean }): Promise<void>;
}

/**
 * Redis with an append-only file written on every command (`appendfsync always`), so a kill -9 loses
 * nothing when it is restarted with its data, and loses everything when restarted without it.
 */
export async function startRedis(dir: string): Promise<RedisServer> {
  const bin = which('redis-server');
  if (!bin) throw new Error('redis-server was not found; install Redis (Debian: apt-get install redis-server)');
  const port = await freePort();
  const dataDir = path.join(dir, 'redis');
  mkdirSync(dataDir, { recursive: true });
  let child: ChildProcess | null = null;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    async start({ keepData = true } = {}) {
      if (!keepData) {
        rmSync(path.join(dataDir, 'appendonlydir'), { recursive: true, force: true });
        rmSync(path.join(dataDir, 'dump.rdb'), { force: true });
      }
      const log = openSync(path.join(dir, 'redis.log'), 'a');
      try {
        child = spawn(
          bin,
          [
            ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', ''],
            ...['--appendonly', 'yes', '--appendfsync', 'always'],
          ],
          { stdio: ['ignore', log, log] },
        );
      } finally {
        closeSync(log);
      }
      await waitForPort(port, 'Redis');
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await gone;
    },
  };
  await server.start();
  return server;
}
