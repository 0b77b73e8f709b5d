import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createClient, createPool } from '@ledgerport/db';
import { createRedisConnection } from '@ledgerport/queue';

// A pg client or pool, or an ioredis connection, that loses its server emits 'error'; with no listener
// that crashes the process (issue 13: a worker died with "Connection terminated unexpectedly" when
// Postgres restarted). So connections are made in two factories only, which listen, and every app,
// script and queue (BullMQ, the dashboard, rate limits) gets its connections from them.
const ROOT = path.resolve(__dirname, '../..');
const FACTORIES = ['packages/db/src/connection.ts', 'packages/queue/src/connection.ts'];
const MAKES = /new\s+(pg\.)?(Pool|Client|Redis|Cluster|IORedis)\s*\(/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', 'dist'].includes(e.name) ? [] : sources(p);
    return /\.(ts|mjs|js)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

it('makes pg and Redis connections only in the factories, or listens for errors on the next line', () => {
  const files = [
    ...['apps', 'packages'].flatMap((top) =>
      readdirSync(path.join(ROOT, top)).flatMap((d) => {
        try {
          return sources(path.join(ROOT, top, d, 'src'));
        } catch {
          return [];
        }
      }),
    ),
    ...sources(path.join(ROOT, 'infra/scripts')),
  ];
  expect(files.length).toBeGreaterThan(50);
  const offenders = files
    .filter((f) => !FACTORIES.includes(path.relative(ROOT, f)))
    .flatMap((file) => {
      const lines = readFileSync(file, 'utf8').split('\n');
      return lines.flatMap((line, i) =>
        MAKES.test(line) && !/\.on\(\s*['"]error['"]/.test(lines[i + 1] ?? '')
          ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`]
          : [],
      );
    });
  expect(offenders).toEqual([]);
});

it('the scan finds a connection where there is one', () => {
  expect(MAKES.test("const pool = new pg.Pool({ connectionString })")).toBe(true);
  expect(MAKES.test('const r = new Redis(url)')).toBe(true);
  expect(MAKES.test('new Cluster(nodes, {})')).toBe(true);
  expect(MAKES.test('const q = new Queue(name)')).toBe(false);
});

it('survives an error on an idle pooled client, a lent one, a lone client and a Redis or Cluster connection', async () => {
  const lost = () => new Error('Connection terminated unexpectedly');
  const pool = createPool('postgres://nobody@127.0.0.1:1/none', { max: 1 });
  try {
    expect(() => pool.emit('error', lost())).not.toThrow();
    // pg-pool takes its own listener off a client while it is lent: the factory's stays.
    const lent = new EventEmitter();
    pool.emit('connect', lent);
    expect(() => lent.emit('error', lost())).not.toThrow();
  } finally {
    await pool.end();
  }
  expect(() => createClient('postgres://nobody@127.0.0.1:1/none').emit('error', lost())).not.toThrow();

  const single = createRedisConnection('redis://127.0.0.1:1', { redisOptions: { lazyConnect: true } });
  const cluster = createRedisConnection(
    { url: 'redis://127.0.0.1:1', clusterNodes: [{ host: '127.0.0.1', port: 1 }] },
    { redisOptions: { lazyConnect: true } },
  );
  try {
    for (const r of [single, cluster]) expect(() => r.emit('error', lost())).not.toThrow();
  } finally {
    single.disconnect();
    cluster.disconnect();
  }
});
