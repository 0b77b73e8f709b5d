// Three API processes and three worker processes on one Redis and Postgres take 30 uploads from three
// practices at once (mixed kinds and sizes, two snapshots for the same location), and a worker is
// killed mid-way: everything completes, the files of one location apply in upload order, nothing is
// applied twice and no payer is created twice.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedDemo, type SeedResult } from '@ledgerport/db';
import { freePort, spawnService, stopService, waitForHealth, type Service } from './bench/processes.js';
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv, reimportSummary } from './support/generate.js';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';
import { redisUrl, removeRedisKeys } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';

const ROOT = path.resolve(__dirname, '../..');
let db: TestDatabase;
let dir: string;
const prefix = `lpt-many-${randomBytes(4).toString('hex')}`;
const apis: Array<{ url: string; service: Service }> = [];
const workers: Service[] = [];
const practices: SeedResult[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'lp-many-'));
  for (const name of ['Alpha Eye', 'Beta Vision', 'Gamma Optometry']) practices.push(await seedDemo(db.handle.db, { practiceName: name }));
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: prefix,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    LOG_LEVEL: 'warn',
    CHUNK_ROWS: '250',
    WORKER_CONCURRENCY: '2',
    JOB_ATTEMPTS: '3',
    // 30 imports polled every 100 ms from one address: far past a practice's rate limits.
    RATE_LIMIT_PER_TOKEN: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
  };
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const service = spawnService('api', path.join(ROOT, 'apps/api/dist/main.js'), ROOT, { ...env, PORT: String(port) }, path.join(dir, `api-${i}.log`));
    apis.push({ url: `http://127.0.0.1:${port}`, service });
    workers.push(spawnService('worker', path.join(ROOT, 'apps/worker/dist/main.js'), ROOT, env, path.join(dir, `worker-${i}.log`)));
  }
  for (const a of apis) await waitForHealth(a.url, a.service);
}, 120_000);

afterAll(async () => {
  await Promise.all([...apis.map((a) => stopService(a.service)), ...workers.map((w) => stopService(w))]);
  await removeRedisKeys(prefix);
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const q = async (sql: string, params: unknown[] = []) => (await db.handle.pool.query(sql, params)).rows;

interface Planned {
  practice: number;
  token: string;
  locationId?: string;
  kind: string;
  name: string;
  content: string;
  fields?: Record<string, string>;
}

it('completes 30 uploads from three practices across three APIs and three workers, one killed, each effect once', async () => {
  const plan: Planned[] = [];
  for (const [p, seed] of practices.entries()) {
    const token = seed.users.find((u) => u.role === 'staff')!.token;
    const extra = await q(
      `insert into locations (practice_id, name) select $1, 'Site ' || g from generate_series(1, 6) g returning id`,
      [seed.practice.id],
    );
    const [l1, l2] = seed.locations.map((l) => l.id);
    const base = (p + 1) * 1_000_000;
    // Two snapshots of one location, uploaded back to back: the second must land last.
    plan.push({ practice: p, token, locationId: l1, kind: 'aging', name: 'monday.csv', content: generateAgingCsv({ rows: 1500, startAt: base }) });
    plan.push({
      practice: p,
      token,
      locationId: l1,
      kind: 'aging',
      name: 'tuesday.csv',
      content: generateAgingCsv({ rows: 1500, startAt: base, changeEvery: 3, dropEvery: 10 }),
    });
    plan.push({ practice: p, token, locationId: l2, kind: 'aging', name: 'big.csv', content: generateAgingCsv({ rows: 4000, startAt: base + 100_000 }) });
    for (const [i, l] of extra.entries())
      plan.push({ practice: p, token, locationId: l.id, kind: 'aging', name: `site-${i}.csv`, content: generateAgingCsv({ rows: 100 + 60 * i, startAt: base + 200_000 + i * 1000 }) });
    const patients = ['TPSID,FirstName,LastName', ...Array.from({ length: 200 }, (_, i) => `P${p}-${i},Pat${i},Many`)].join('\n');
    plan.push({ practice: p, token, kind: 'patients', name: 'patients.csv', content: patients, fields: { mode: 'commit' } });
  }
  expect(plan).toHaveLength(30);

  // Each practice's uploads go out in order (so tuesday follows monday) but all practices at once,
  // spread over the three APIs.
  const ids: string[] = new Array(plan.length);
  let turn = 0;
  await Promise.all(
    practices.map(async (_s, p) => {
      for (const [i, u] of plan.entries()) {
        if (u.practice !== p) continue;
        const api = apis[turn++ % apis.length]!;
        const up = await client(api.url, u.token).upload(u.content, { kind: u.kind, ...(u.locationId ? { locationId: u.locationId } : {}), ...u.fields }, u.name);
        expect(up.status).toBe(202);
        ids[i] = up.body.id;
      }
    }),
  );

  // A worker dies while imports are under way; the others carry on with what it held.
  await waitUntil(
    'three imports to have rows applied',
    async () => Number((await q(`select count(*) n from imports where rows_committed > 0`))[0].n) >= 3,
    60_000,
  );
  workers[0]!.child.kill('SIGKILL');
  await workers[0]!.exited;

  const done = await Promise.all(plan.map((u, i) => waitForImport(apis[i % 3]!.url, u.token, ids[i]!, undefined, 180_000)));
  expect(done.map((d) => d.status)).toEqual(plan.map(() => 'completed'));

  for (const [p, seed] of practices.entries()) {
    const [l1] = seed.locations.map((l) => l.id);
    const i = plan.findIndex((u) => u.practice === p && u.name === 'tuesday.csv');
    const tuesday = done[i];
    // Tuesday landed after Monday: exactly a re-import's figures, and Monday's are a first import's.
    expect(tuesday.summary).toMatchObject(reimportSummary({ rows: 1500, startAt: (p + 1) * 1_000_000, changeEvery: 3, dropEvery: 10 }));
    expect(done[i - 1].summary).toMatchObject({ claimsNew: 1500, claimsResolved: 0 });
    const [open] = await q(`select count(*) filter (where resolved_at is null)::int open, count(*)::int total from claims where location_id = $1`, [l1]);
    expect(open).toEqual({ open: 1500 - tuesday.summary.claimsResolved, total: 1500 });
    // Every claim was created once: what the imports say they created is what is there.
    const created = done.filter((_d, k) => plan[k]!.practice === p && plan[k]!.kind === 'aging').reduce((s, d) => s + d.summary.claimsNew, 0);
    const [claims] = await q(`select count(*)::int n from claims where practice_id = $1`, [seed.practice.id]);
    expect(claims.n).toBe(created);
    // One payer per name, created once: the imports racing for them say so, between them, 8 times.
    const payers = await q(`select normalized_name, count(*)::int n from payers where practice_id = $1 group by 1`, [seed.practice.id]);
    expect(payers.every((r) => r.n === 1)).toBe(true);
    expect(payers).toHaveLength(8);
    const announced = done.filter((_d, k) => plan[k]!.practice === p && plan[k]!.kind === 'aging').reduce((s, d) => s + d.summary.payersCreated, 0);
    expect(announced).toBe(8);
    expect((await q(`select count(*)::int n from patients where practice_id = $1`, [seed.practice.id]))[0].n).toBe(200);
  }
}, 300_000);
