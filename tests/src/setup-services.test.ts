import {
  installCommand,
  postgresMissingMessage,
  postgresPlan,
  redisMissingMessage,
  redisPlan,
  type PostgresFacts,
} from '../../infra/scripts/service-plan.mjs';

// What `npm start`, `npm test` and `npm run setup` do about a service that does not answer
// (infra/scripts/service-plan.mjs); services.mjs gathers these facts and carries the plan out.
const downHere: PostgresFacts = {
  answers: false,
  local: true,
  embeddedDataExists: false,
  hasPgCtlcluster: false,
  hasPgCtlWithPgdata: false,
  hasServerBinary: false,
};

describe('PostgreSQL', () => {
  it('uses a server that answers, whatever is installed', () => {
    expect(postgresPlan({ ...downHere, answers: true })).toEqual({ action: 'use' });
    expect(postgresPlan({ ...downHere, answers: true, local: false })).toEqual({ action: 'use' });
  });

  it('runs the embedded server when none answers and none is installed', () => {
    expect(postgresPlan(downHere)).toEqual({ action: 'start-embedded' });
  });

  it('starts the embedded server again once its data exists, even if a server was installed since', () => {
    expect(
      postgresPlan({ ...downHere, embeddedDataExists: true, hasPgCtlcluster: true, hasServerBinary: true }),
    ).toEqual({
      action: 'start-embedded',
    });
  });

  it("starts an installed server: Debian's cluster first, then pg_ctl with PGDATA", () => {
    const installed = { ...downHere, hasServerBinary: true };
    expect(postgresPlan({ ...installed, hasPgCtlcluster: true, hasPgCtlWithPgdata: true })).toEqual({
      action: 'start-cluster',
    });
    expect(postgresPlan({ ...installed, hasPgCtlWithPgdata: true })).toEqual({ action: 'start-pg_ctl' });
  });

  it('leaves an installed server it cannot start to its owner instead of running a second one', () => {
    const plan = postgresPlan({ ...downHere, hasServerBinary: true });
    expect(plan).toEqual({ action: 'fail', reason: 'installed-not-startable' });
    const mac = postgresMissingMessage({
      host: '127.0.0.1',
      port: 5432,
      reason: 'installed-not-startable',
      platform: 'darwin',
    });
    expect(mac).toMatch(/brew services start postgresql/);
    expect(mac).toMatch(
      /docker compose -f infra\/docker-compose.yml up -d postgres, with DATABASE_URL=postgres:\/\/postgres:ledgerport@127\.0\.0\.1:5432\/ledgerport$/,
    );
  });

  it('never starts anything for a remote server that does not answer', () => {
    for (const facts of [
      downHere,
      { ...downHere, hasPgCtlcluster: true, hasServerBinary: true },
      { ...downHere, embeddedDataExists: true },
    ])
      expect(postgresPlan({ ...facts, local: false })).toEqual({ action: 'fail', reason: 'remote' });
    expect(postgresMissingMessage({ host: 'db.internal', port: 5432, reason: 'remote', platform: 'linux' })).toMatch(
      /db\.internal:5432 does not answer \(DATABASE_URL\)/,
    );
  });
});

describe('Redis', () => {
  it('uses one that answers, starts an installed one, and says how to get one otherwise', () => {
    expect(redisPlan({ answers: true, local: true, hasRedisServer: false })).toEqual({ action: 'use' });
    expect(redisPlan({ answers: false, local: true, hasRedisServer: true })).toEqual({ action: 'start' });
    expect(redisPlan({ answers: false, local: true, hasRedisServer: false })).toEqual({
      action: 'fail',
      reason: 'not-installed',
    });
    expect(redisPlan({ answers: false, local: false, hasRedisServer: true })).toEqual({
      action: 'fail',
      reason: 'remote',
    });
  });

  it('names the one install command for the platform, and docker compose as the alternative', () => {
    const debian = installCommand('redis', { platform: 'linux', hasApt: true, hasBrew: false, root: false });
    expect(debian).toBe('sudo apt-get install -y redis-server');
    expect(installCommand('redis', { platform: 'linux', hasApt: true, hasBrew: false, root: true })).toBe(
      'apt-get install -y redis-server',
    );
    expect(installCommand('redis', { platform: 'darwin', hasApt: false, hasBrew: false, root: false })).toBe(
      'brew install redis',
    );
    expect(installCommand('redis', { platform: 'linux', hasApt: false, hasBrew: true, root: false })).toBe(
      'brew install redis',
    );
    expect(installCommand('redis', { platform: 'linux', hasApt: false, hasBrew: false, root: false })).toBeNull();

    const message = redisMissingMessage({ host: '127.0.0.1', port: 6379, reason: 'not-installed', install: debian });
    expect(message).toMatch(/no embedded fallback/);
    expect(message).toMatch(/Install it: sudo apt-get install -y redis-server\n/);
    expect(message).toMatch(/docker compose -f infra\/docker-compose.yml up -d redis$/);
    expect(redisMissingMessage({ host: '127.0.0.1', port: 6379, reason: 'not-installed', install: null })).toMatch(
      /Install Redis \(6\.2 or newer\)/,
    );
  });
});
