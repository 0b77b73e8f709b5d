import { client, waitForImport } from './support/http.js';
import { generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ worker: false, env: { WORKER_CONCURRENCY: '2', CHUNK_ROWS: '50' } });
});
afterAll(() => stack.close());

it('creates each new payer once, and notifies once, when two imports name it at the same time', async () => {
  const staff = client(stack.url, stack.staff);
  const payers = ['Zenith Health', 'ZENITH HEALTH', 'Orbit Vision', 'orbit  vision', 'Nova Dental', 'Nova-Dental'];
  const ids: string[] = [];
  for (const [i, loc] of stack.seed.locations.entries()) {
    const up = await staff.upload(generateAgingCsv({ rows: 600, startAt: 1 + i * 1000, payers: i ? payers.slice().reverse() : payers }), { kind: 'aging', locationId: loc.id });
    ids.push(up.body.id);
  }
  const w1 = stack.startWorker();
  const w2 = stack.startWorker();
  const done = await Promise.all(ids.map((id) => waitForImport(stack.url, stack.staff, id)));
  expect(done.map((d) => d.status)).toEqual(['completed', 'completed']);
  const { rows } = await stack.db.handle.pool.query('select normalized_name, count(*)::int n from payers group by 1 order by 1');
  expect(rows).toEqual([
    { normalized_name: expect.any(String), n: 1 },
    { normalized_name: expect.any(String), n: 1 },
    { normalized_name: expect.any(String), n: 1 },
  ]);
  expect(done[0].summary.payersCreated + done[1].summary.payersCreated).toBe(3);
  const notes = await stack.db.handle.pool.query(`select count(*)::int n from notifications where kind = 'payer_created'`);
  expect(notes.rows[0].n).toBe(3 * 2);
  await Promise.all([w1.close(), w2.close()]);
});
