// Ledgerport on a Redis Cluster: an API and a worker given REDIS_CLUSTER_NODES (and a hash-tagged
// QUEUE_PREFIX) take a snapshot and a re-import of it to the right claims and money, and say they are
// ready; a prefix without a hash tag is refused at start with the setting to use.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedDemo, type SeedResult } from '@ledgerport/db';
import { createRedisConnection, parseClusterNodes, waitForRedis } from '@ledgerport/queue';
import { freePort, spawnService, stopService, waitForHealth, type Service } from './bench/processes.js';
import { client, request, waitForImport } from './support/http.js';
import { generateAgingCsv, reimportSummary } from './support/generate.js';
import { startRedisCluster, type RedisClusterHandle } from './support/redis-cluster.js';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';

const ROOT = path.resolve(__dirname, '../..');
let db: TestDatabase;
let dir: string;
let cluster: RedisClusterHandle;
let seed: SeedResult;
let url: string;
const services: Service[] = [];
const prefix = `{lpt-cluster-${randomBytes(4).toString('hex')}}`;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'lp-cluster-'));
  cluster = await startRedisCluster();
  seed = await seedDemo(db.handle.db);
  const port = await freePort();
  const env = {
    DATABASE_URL: db.url,
    // Nothing listens here: the processes must reach Redis through the cluster's nodes alone.
    REDIS_URL: 'redis://127.0.0.1:1',
    REDIS_CLUSTER_NODES: cluster.nodes,
    QUEUE_PREFIX: prefix,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    LOG_LEVEL: 'warn',
    CHUNK_ROWS: '250',
    PORT: String(port),
  };
  url = `http://127.0.0.1:${port}`;
  const api = spawnService('api', path.join(ROOT, 'apps/api/dist/main.js'), ROOT, env, path.join(dir, 'api.log'));
  services.push(api, spawnService('worker', path.join(ROOT, 'apps/worker/dist/main.js'), ROOT, env, path.join(dir, 'worker.log')));
  await waitForHealth(url, api);
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => stopService(s)));
  await cluster?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const q = async (sql: string, params: unknown[] = []) => (await db.handle.pool.query(sql, params)).rows;

it('imports a snapshot and its re-import through a Redis Cluster, exactly', async () => {
  const token = seed.users.find((u) => u.role === 'staff')!.token;
  const locationId = seed.locations[0]!.id;
  const api = client(url, token);
  const first = { rows: 1200, startAt: 7_000_000 };
  const second = { ...first, changeEvery: 4, dropEvery: 10 };

  const up1 = await api.upload(generateAgingCsv(first), { kind: 'aging', locationId }, 'monday.csv');
  expect(up1.status).toBe(202);
  const done1 = await waitForImport(url, token, up1.body.id, undefined, 120_000);
  expect(done1.status).toBe('completed');
  expect(done1.summary).toMatchObject({ claimsNew: 1200, claimsResolved: 0 });

  const up2 = await api.upload(generateAgingCsv(second), { kind: 'aging', locationId }, 'tuesday.csv');
  expect(up2.status).toBe(202);
  const done2 = await waitForImport(url, token, up2.body.id, undefined, 120_000);
  expect(done2.status).toBe('completed');
  expect(done2.summary).toMatchObject(reimportSummary(second));

  // The money the open claims hold is what Tuesday's file lists, to the cent.
  const [open] = await q(
    `select count(*)::int n, coalesce(sum(balance_cents), 0)::bigint::text cents from claims where location_id = $1 and resolved_at is null`,
    [locationId],
  );
  const lines = generateAgingCsv(second).trim().split('\n').slice(1);
  const cents = lines.reduce((s, l) => s + Math.round(Number(l.split(',').at(-1)) * 100), 0);
  expect(open).toEqual({ n: lines.length, cents: String(cents) });

  const ready = await request(url, null, 'GET', '/health/ready');
  expect(ready.status).toBe(200);
  // The queue's keys are in the cluster, all in the one slot of their hash tag.
  const redis = createRedisConnection({ url: 'redis://127.0.0.1:1', clusterNodes: parseClusterNodes(cluster.nodes)! });
  try {
    await waitForRedis(redis, 10_000);
    if (!('nodes' in redis)) throw new Error('expected a cluster connection');
    const perNode = await Promise.all(redis.nodes('master').map((n) => n.keys(`${prefix}:*`)));
    expect(perNode.flat().length).toBeGreaterThan(0);
    expect(perNode.filter((keys) => keys.length > 0)).toHaveLength(1);
  } finally {
    redis.disconnect();
  }
}, 300_000);

it('refuses to start on a cluster with a prefix whose keys would spread over slots, naming the setting', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'apps/worker/dist/main.js')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: db.url, REDIS_CLUSTER_NODES: cluster.nodes, QUEUE_PREFIX: 'ledgerport' },
    timeout: 30_000,
  });
  expect(r.status).not.toBe(0);
  expect(`${r.stdout}${r.stderr}`).toContain('QUEUE_PREFIX={ledgerport}');
});
