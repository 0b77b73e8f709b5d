// Staging of aging files: one partition of staged_claims per import, in-file duplicates found by the
// partition's unique key across chunks, and nothing left behind once an import is over.
import { Migrator } from 'kysely/migration';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  dropFinishedStagingPartitions,
  ensureStagedClaimsPartition,
  stageClaimsChunk,
  migrations,
  stagedClaimsPartition,
} from '@ledgerport/db';
import { client, waitForImport } from './support/http.js';
import { AGING_HEADER, agingLines, generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';

let stack: TestStack;
let staff: ReturnType<typeof client>;
beforeAll(async () => {
  // Small chunks, so a duplicate and the row it repeats land in different transactions.
  stack = await startTestStack({ env: { CHUNK_ROWS: '50' } });
  staff = client(stack.url, stack.staff);
});
afterAll(() => stack.close());

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
const partitions = async () =>
  (
    await q(
      `select c.relname from pg_inherits h join pg_class c on c.oid = h.inhrelid where h.inhparent = 'staged_claims'::regclass`,
    )
  ).map((r) => r.relname as string);

async function upload(csv: string, name: string, fields: Record<string, string> = {}) {
  const up = await staff.upload(csv, { kind: 'aging', locationId: stack.seed.locations[1]!.id, ...fields }, name);
  expect(up.status).toBe(202);
  return up.body.id as string;
}

it('rejects a claim number seen chunks earlier, naming the line that was used, and leaves no staging behind', async () => {
  const lines = [AGING_HEADER, ...agingLines({ rows: 200, startAt: 7_000_001 })];
  // Line 180 repeats the claim of line 6 (a different balance: the first one still wins).
  lines.splice(179, 0, lines[5]!.replace(/,[\d.]+$/, ',1.23'));
  const id = await upload(lines.join('\n') + '\n', 'dups.csv');
  const imp = await waitForImport(stack.url, stack.staff, id);
  expect(imp).toMatchObject({ status: 'completed', rowsRead: 201, rowsAccepted: 200, rowsRejected: 1 });
  expect(imp.summary).toMatchObject({ claimsNew: 200, duplicateRows: 1 });
  const errors = (await staff.get(`/imports/${id}/errors`)).body.items;
  expect(errors).toEqual([
    {
      rowNumber: 180,
      column: 'Claim Number',
      value: 'C-07000005',
      message: 'Claim number C-07000005 appears more than once in the file; only the first, on line 6, was used',
      severity: 'error',
    },
  ]);
  // Listed with the cells it has in the file, to be fixed and uploaded again.
  const [rejected] = await q(`select row_number, cells from import_rejected_rows where import_id = $1`, [id]);
  expect(rejected).toEqual({ row_number: 180, cells: ['C-07000005', expect.any(String), expect.any(String), expect.any(String), expect.any(String), expect.any(String), expect.any(String), '1.23'] });
  const [claim] = await q(`select balance_cents from claims where claim_key = 'C-07000005'`);
  expect(claim.balance_cents).not.toBe(123);
  // The import's partition went with it: no rows, no table, no dead tuples.
  expect(await partitions()).not.toContain(stagedClaimsPartition(id));
});

it('stages and applies cells with backslashes exactly as the file has them (the COPY escapes them)', async () => {
  const csv = [
    AGING_HEADER,
    'C-07200001,A\\7,"O\\Brien, Siobhan",02/11/1951,Aetna\\West,02/02/2026,129.19,64.60',
    'C-07200002\\B,A8,"Ng, Li",03/12/1952,Cigna,03/03/2026,20.00,10.05',
  ].join('\n');
  // Into the other location, which has no open claims this file would close.
  const id = await upload(csv + '\n', 'backslashes.csv', { locationId: stack.seed.locations[0]!.id });
  const imp = await waitForImport(stack.url, stack.staff, id);
  expect(imp).toMatchObject({ status: 'completed', rowsAccepted: 2, rowsRejected: 0 });
  const rows = await q(
    `select c.claim_number, c.patient_account, c.patient_name, p.name as payer, c.balance_cents
     from claims c join payers p on p.id = c.payer_id where c.first_seen_import = $1 order by c.claim_number`,
    [id],
  );
  expect(rows).toEqual([
    { claim_number: 'C-07200001', patient_account: 'A\\7', patient_name: 'O\\Brien, Siobhan', payer: 'Aetna\\West', balance_cents: 6460 },
    { claim_number: 'C-07200002\\B', patient_account: 'A8', patient_name: 'Ng, Li', payer: 'Cigna', balance_cents: 1005 },
  ]);
});

it('keeps a preview staged in its partition until it is discarded, then maintenance drops the partition', async () => {
  const id = await upload(generateAgingCsv({ rows: 120, startAt: 7_100_001 }), 'preview.csv', { mode: 'preview' });
  const ready = await waitForImport(stack.url, stack.staff, id, ['ready', 'failed', 'completed', 'cancelled']);
  expect(ready.status).toBe('ready');
  const partition = stagedClaimsPartition(id);
  expect(await partitions()).toContain(partition);
  expect(Number((await q(`select count(*) n from ${partition}`))[0].n)).toBe(120);

  expect((await staff.post(`/imports/${id}/discard`)).status).toBe(200);
  expect(Number((await q(`select count(*) n from staged_claims where import_id = $1`, [id]))[0].n)).toBe(0);
  expect(await dropFinishedStagingPartitions(stack.db.handle.pool)).toBeGreaterThanOrEqual(1);
  expect(await partitions()).not.toContain(partition);
});

it('moves rows staged before the partitioning migration into their partitions, first row of a key kept', async () => {
  const db = stack.db.handle.db;
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const id = await upload(generateAgingCsv({ rows: 10, startAt: 7_200_001 }), 'old.csv', { mode: 'preview' });
  await waitForImport(stack.url, stack.staff, id, ['ready']);
  const down = await migrator.migrateTo('2026-11-23-0003-formats');
  expect(down.error).toBeUndefined();
  // The old single table, with a duplicate key that the old code would have deleted after its chunk.
  await q(
    `insert into staged_claims (import_id, row_no, claim_key, patient_name, payer_name, payer_key, date_of_service, balance_cents)
     values ($1, 99, 'C-07200001', 'Late, Row', 'Aetna', 'aetna', '2026-01-01', 1)`,
    [id],
  );
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  expect(await partitions()).toContain(stagedClaimsPartition(id));
  const rows = await q(`select row_no, claim_key from staged_claims where import_id = $1 order by row_no`, [id]);
  expect(rows).toHaveLength(10);
  expect(rows.find((r) => r.claim_key === 'C-07200001')?.row_no).toBe(2);
});

it('makes an import’s partition once when several workers start the import at the same moment', async () => {
  // `create … if not exists` from two connections at once fails on the second (42P07, or 23505 on
  // the catalogue's type names) whenever neither sees the other's table yet.
  const ids = Array.from({ length: 5 }, () => randomUUID());
  for (const id of ids) {
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map(() => ensureStagedClaimsPartition(stack.db.handle.pool, id)),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  }
  expect((await partitions()).filter((p) => ids.some((id) => p === stagedClaimsPartition(id)))).toHaveLength(
    ids.length,
  );
  for (const id of ids) await q(`drop table ${stagedClaimsPartition(id)}`);
});

it('lets a partition another run dropped meanwhile go, and still fails on any other error', async () => {
  // A worker drops an import's partition as it completes while maintenance sweeps every finished one.
  // When the partition goes between the sweep finding it and locking its parent, Postgres fails the
  // sweep's drop with an internal error. Here the other run's drop comes exactly then.
  const id = await upload(generateAgingCsv({ rows: 3, startAt: 7_400_001 }), 'done.csv', { locationId: stack.seed.locations[0]!.id });
  expect((await waitForImport(stack.url, stack.staff, id)).status).toBe('completed');
  const pool = stack.db.handle.pool;
  const racing = (otherRunDrops: boolean) =>
    ({
      query: pool.query.bind(pool),
      connect: async () => {
        const c = await pool.connect();
        return new Proxy(c, {
          get(target, prop) {
            if (prop === 'query')
              return async (text: unknown, ...rest: unknown[]) => {
                if (typeof text === 'string' && text.startsWith('drop table')) {
                  if (otherRunDrops) await pool.query(text);
                  throw Object.assign(new Error('could not find tuple for parent of relation 59699'), { code: 'XX000' });
                }
                return (target.query as (...a: unknown[]) => unknown)(text, ...rest);
              };
            const v: unknown = Reflect.get(target, prop);
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        });
      },
    }) as unknown as pg.Pool;

  // The worker drops the partition just after the import completes; it is made again only after that.
  await waitUntil('the worker to drop the partition', async () => !(await partitions()).includes(stagedClaimsPartition(id)));
  await ensureStagedClaimsPartition(pool, id);
  await expect(dropFinishedStagingPartitions(racing(false), id)).rejects.toThrow(/could not find tuple/);
  expect(await partitions()).toContain(stagedClaimsPartition(id));
  await expect(dropFinishedStagingPartitions(racing(true), id)).resolves.toBe(0);
  expect(await partitions()).not.toContain(stagedClaimsPartition(id));
});

it('gives a partition made before the import id was its default that default, and stages into it', async () => {
  // A chunk's COPY leaves import_id out; an import part-way staged when this shipped has a partition
  // without the default, and its next attempt must not fail on a null import id.
  const id = await upload(generateAgingCsv({ rows: 3, startAt: 7_300_001 }), 'upgrade.csv', { mode: 'preview' });
  await waitForImport(stack.url, stack.staff, id, ['ready']);
  const name = stagedClaimsPartition(id);
  await q(`alter table ${name} alter column import_id drop default`);
  await ensureStagedClaimsPartition(stack.db.handle.pool, id);
  const c = await stack.db.handle.pool.connect();
  try {
    const row = (n: number, key: string) => ({
      rowNo: n,
      claimKey: key,
      claimNumber: key,
      patientName: 'Doe, Jane',
      patientAccount: null,
      dateOfBirth: null,
      payerName: 'Aetna',
      payerKey: 'aetna',
      dateOfService: '2026-01-02',
      billedCents: null,
      balanceCents: 1000 + n,
      agingBucket: null,
    });
    await c.query('begin');
    expect(await stageClaimsChunk(c, id, [row(12, 'K-1'), row(13, 'K-2')])).toEqual([]);
    // The duplicate's way (a temporary table, then the partition) leaves import_id out too.
    expect(await stageClaimsChunk(c, id, [row(14, 'K-3'), row(15, 'K-1')])).toEqual([15]);
    await c.query('commit');
  } finally {
    c.release();
  }
  expect(
    await q(`select import_id::text, row_no, balance_cents::int from ${name} where row_no > 10 order by row_no`),
  ).toEqual([
    { import_id: id, row_no: 12, balance_cents: 1012 },
    { import_id: id, row_no: 13, balance_cents: 1013 },
    { import_id: id, row_no: 14, balance_cents: 1014 },
  ]);
  expect((await staff.post(`/imports/${id}/discard`)).status).toBe(200);
});
