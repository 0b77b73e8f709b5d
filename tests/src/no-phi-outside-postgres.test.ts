// Patient data stays in Postgres: after imports that fail in every way (and one that succeeds), a
// unique marker written into the files' cells appears nowhere in Redis (jobs, failure reasons, stack
// traces, events) nor in any line the API or the workers logged.
import { createRedisConnection } from '@ledgerport/queue';
import { client, waitForImport } from './support/http.js';
import { AGING_HEADER, generateAgingCsv } from './support/generate.js';
import { redisUrl, startTestStack, type TestStack } from './support/test-stack.js';

const MARKER = 'Zqxvmarker';
const logs: string[] = [];
let stack: TestStack;
let staff: ReturnType<typeof client>;
let locationId: string;

beforeAll(async () => {
  stack = await startTestStack({ env: { JOB_ATTEMPTS: '2' }, logTo: { write: (line) => void logs.push(line) } });
  staff = client(stack.url, stack.staff);
  locationId = stack.seed.locations[0]!.id;
  await upload(generateAgingCsv({ rows: 30 }), 'aging', 'monday.csv');
});
afterAll(() => stack.close());

async function upload(content: string, kind: string, name: string) {
  const up = await staff.upload(content, { kind, ...(kind === 'aging' ? { locationId } : {}) }, name);
  expect(up.status).toBe(202);
  return waitForImport(stack.url, stack.staff, up.body.id);
}

const agingRow = (claim: string, name = `${MARKER}, Ana`) => `${claim},A1,"${name}",01/02/1960,Aetna ${MARKER},09/02/2026,10.00,10.00`;

const FAILURES: Array<[string, string, string, string]> = [
  ['a patients file without its header row (the first row is a patient)', 'patients', `5000,${MARKER},Rivera,03/14/1962,F,555-0100,${MARKER.toLowerCase()}@example.com,1 Elm St`, 'unusable_header'],
  ['an aging header no layout knows', 'aging', `Ref ${MARKER},Who,Owed\nC-1,${MARKER},1.00`, 'unrecognized_layout'],
  ['an unclosed quote', 'aging', [AGING_HEADER, agingRow('C-1').replace(`"${MARKER}, Ana"`, `"${MARKER}, Ana`), agingRow('C-2')].join('\n'), 'broken_file'],
  ['no readable row', 'aging', [AGING_HEADER, agingRow('C-1').replace(/10\.00$/, `${MARKER}`)].join('\n'), 'nothing_readable'],
  ['two columns for one field', 'aging', [`${AGING_HEADER},Balance`, `${agingRow('C-1')},${MARKER}`].join('\n'), 'unrecognized_layout'],
  ['balances of patients that do not exist', 'patient_balances', `accountNumber,patientName,paymentBalance\n9${MARKER},"${MARKER}, Ana",1.00`, 'nothing_readable'],
];

describe('no patient data outside Postgres', () => {
  it.each(FAILURES)('%s fails with its full message on the import row only', async (_what, kind, content, code) => {
    const imp = await upload(content + '\n', kind, 'bad.csv');
    expect(imp).toMatchObject({ status: 'failed', error: { code } });
    expect(imp.error.message.length).toBeGreaterThan(20);
  });

  it('a database error quoting the refused row goes to neither the logs nor Redis', async () => {
    const pool = stack.db.handle.pool;
    await pool.query(
      `create function lp_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused %', new.patient_name; end $$`,
    );
    await pool.query('create trigger lp_test_refuse before insert on claims for each row execute function lp_test_refuse()');
    try {
      const imp = await upload([AGING_HEADER, ...Array.from({ length: 30 }, (_, i) => agingRow(`C-${i + 1}`))].join('\n') + '\n', 'aging', 'refused.csv');
      expect(imp).toMatchObject({ status: 'failed', error: { code: 'internal_error' } });
    } finally {
      await pool.query('drop trigger lp_test_refuse on claims');
      await pool.query('drop function lp_test_refuse()');
    }
  });

  it('a file that imports carries nothing of its cells into Redis or the logs either', async () => {
    const imp = await upload([AGING_HEADER, ...Array.from({ length: 30 }, (_, i) => agingRow(`C-${i + 1}`))].join('\n') + '\n', 'aging', 'good.csv');
    expect(imp.status).toBe('completed');
  });

  it('finds the marker in no Redis key of the queue and in no log line', async () => {
    const redis = createRedisConnection(redisUrl());
    const found: string[] = [];
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${stack.env.QUEUE_PREFIX}:*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const type = await redis.type(key);
          const value =
            type === 'string'
              ? await redis.get(key)
              : type === 'hash'
                ? JSON.stringify(await redis.hgetall(key))
                : type === 'list'
                  ? JSON.stringify(await redis.lrange(key, 0, -1))
                  : type === 'set'
                    ? JSON.stringify(await redis.smembers(key))
                    : type === 'zset'
                      ? JSON.stringify(await redis.zrange(key, 0, -1))
                      : type === 'stream'
                        ? JSON.stringify(await redis.xrange(key, '-', '+'))
                        : '';
          if (value?.toLowerCase().includes(MARKER.toLowerCase())) found.push(`redis ${key}`);
        }
      } while (cursor !== '0');
    } finally {
      await redis.quit();
    }
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) if (line.toLowerCase().includes(MARKER.toLowerCase())) found.push(`log ${line.slice(0, 300)}`);
    expect(found).toEqual([]);
    // The practice itself still reads the whole story on its import rows.
    const { rows } = await stack.db.handle.pool.query(`select count(*)::int n from imports where last_error ilike $1 or first_rows::text ilike $1`, [`%${MARKER}%`]);
    expect(rows[0].n).toBeGreaterThan(0);
  });
});
