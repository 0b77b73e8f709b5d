import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isUuid } from '@ledgerport/core';
import { CopyLines } from './copy-text.js';
import { resetReadingProgress } from '../imports/progress.js';
import type { Tx } from '../transaction.js';

export interface StagedClaim {
  rowNo: number;
  claimKey: string;
  claimNumber: string | null;
  patientName: string;
  patientAccount: string | null;
  dateOfBirth: string | null;
  payerName: string;
  payerKey: string;
  dateOfService: string;
  billedCents: number | null;
  balanceCents: number;
  agingBucket: string | null;
}

export interface StagedRowError {
  rowNumber: number;
  column: string;
  value: string;
  message: string;
  severity?: 'error' | 'warning';
}

/**
 * What a chunk's COPY sends per row. Not import_id: the import's partition has it as its default, which
 * spares 37 of about 170 bytes a row that Node would write and Postgres parse (a uuid a row).
 */
const STAGED_COLUMNS =
  'row_no, claim_key, claim_number, patient_name, patient_account, date_of_birth, payer_name, payer_key, date_of_service, billed_cents, balance_cents, aging_bucket';

/**
 * One staged row as a COPY line, in STAGED_COLUMNS' order. Written out field by field: the list of
 * values a generic line writer takes was an array a row, a million times, for the garbage collector.
 */
function writeStagedLine(out: CopyLines, r: StagedClaim): void {
  out.field(r.rowNo);
  out.field(r.claimKey);
  out.field(r.claimNumber);
  out.field(r.patientName);
  out.field(r.patientAccount);
  out.field(r.dateOfBirth);
  out.field(r.payerName);
  out.field(r.payerKey);
  out.field(r.dateOfService);
  out.field(r.billedCents);
  out.field(r.balanceCents);
  out.lastField(r.agingBucket);
}

/** A claim key the import's partition already holds (an earlier line of the file). */
const UNIQUE_VIOLATION = '23505';

/** The import's own partition of staged_claims (see migration 0004), as an SQL identifier. */
export function stagedClaimsPartition(importId: string): string {
  // The name goes into DDL, which takes no parameters: only a well-formed uuid gets this far.
  if (!isUuid(importId)) throw new Error(`not an import id: ${JSON.stringify(importId)}`);
  return `staged_claims_${importId.replace(/-/g, '').toLowerCase()}`;
}

/**
 * Creates the import's partition before its first chunk. Its own short transaction: creating a
 * partition locks the parent table, and waiting long behind another import's chunk would stall it.
 */
export async function ensureStagedClaimsPartition(pool: pg.Pool, importId: string): Promise<void> {
  const name = stagedClaimsPartition(importId);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query("set local lock_timeout = '30s'");
    await client.query(
      `create unlogged table if not exists ${name} partition of staged_claims (import_id default '${importId}') for values in ('${importId}')`,
    );
    // A partition made before the default (an import part-way through an upgrade) gets it now.
    if (!(await hasImportDefault(client, name)))
      await client.query(`alter table ${name} alter column import_id set default '${importId}'`);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    // Two workers handed the same import at once: `if not exists` does not stop the second create from
    // failing on the first one's (42P07, or 23505 on the catalogue's type names). It is there either way.
    const code = (e as { code?: string }).code;
    if ((code === DUPLICATE_TABLE || code === UNIQUE_VIOLATION) && (await partitionExists(pool, name))) return;
    throw e;
  } finally {
    client.release();
  }
}

const DUPLICATE_TABLE = '42P07';

async function hasImportDefault(db: pg.PoolClient, name: string): Promise<boolean> {
  const { rows } = await db.query<{ has: boolean }>(
    `select exists (
       select 1 from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
       where d.adrelid = $1::regclass and a.attname = 'import_id'
     ) as has`,
    [name],
  );
  return rows[0]?.has === true;
}

async function partitionExists(db: pg.Pool | pg.PoolClient, name: string): Promise<boolean> {
  const { rows } = await db.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [name]);
  return rows[0]?.exists === true;
}

/**
 * Stages one chunk of accepted rows: COPY straight into the import's partition (one round trip, no
 * per-row statements). A claim key seen earlier in the file makes that COPY fail on the partition's
 * unique key; the chunk then goes through a temporary table into the partition in file order, where
 * the later rows become skipped inserts, rejected with a message naming the line that was used (the
 * first one wins), so the merge never sees a claim twice. Duplicates are rare in real reports: the
 * direct COPY spares Postgres writing and reading every row a second time. Returns the lines
 * rejected as duplicates.
 *
 * `lines`: where the chunk's COPY text is written, kept by the caller from chunk to chunk (one per
 * import: its chunks are staged one after another, and this returns only once Postgres answered after
 * the text was sent).
 */
export async function stageClaimsChunk(
  client: pg.PoolClient,
  importId: string,
  rows: readonly StagedClaim[],
  lines: CopyLines = new CopyLines(),
): Promise<number[]> {
  if (!rows.length) return [];
  const partition = stagedClaimsPartition(importId);
  lines.clear();
  for (const r of rows) writeStagedLine(lines, r);
  const text = lines.bytes();
  const keys = new Set<string>();
  for (const r of rows) keys.add(r.claimKey);
  if (keys.size === rows.length) {
    await client.query('savepoint direct_copy');
    try {
      await copyRows(client, partition, text);
      await client.query('release savepoint direct_copy');
      return [];
    } catch (e) {
      if ((e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
      await client.query('rollback to savepoint direct_copy');
    }
  }
  await client.query(
    `create temp table if not exists staged_lines on commit delete rows as select ${STAGED_COLUMNS} from staged_claims with no data`,
  );
  await copyRows(client, 'staged_lines', text);
  const { rows: inserted } = await client.query<{ row_no: number }>(
    `insert into ${partition} (${STAGED_COLUMNS}) select ${STAGED_COLUMNS} from staged_lines order by row_no
     on conflict (import_id, claim_key) do nothing returning row_no`,
  );
  if (inserted.length === rows.length) return [];

  const kept = new Set(inserted.map((r) => r.row_no));
  const duplicates = rows.filter((r) => !kept.has(r.rowNo));
  const { rows: firsts } = await client.query<{ claim_key: string; row_no: number }>(
    `select claim_key, row_no from ${partition} where import_id = $1 and claim_key = any($2::text[])`,
    [importId, [...new Set(duplicates.map((d) => d.claimKey))]],
  );
  const firstRow = new Map(firsts.map((f) => [f.claim_key, f.row_no]));
  await insertRowErrors(
    client,
    importId,
    duplicates.map((d) => {
      const first = firstRow.get(d.claimKey) ?? 0;
      return d.claimNumber === null
        ? {
            rowNumber: d.rowNo,
            column: 'Claim',
            value: '',
            message: `This claim (same patient, payer, date of service and amount) appears more than once in the file; only the first, on line ${first}, was used`,
          }
        : {
            rowNumber: d.rowNo,
            column: 'Claim Number',
            value: d.claimNumber,
            message: `Claim number ${d.claimNumber} appears more than once in the file; only the first, on line ${first}, was used`,
          };
    }),
  );
  return duplicates.map((d) => d.rowNo);
}

/** COPY of staged-claim lines (writeStagedLine) into `table`, in one round trip. */
async function copyRows(client: pg.PoolClient, table: string, text: Buffer): Promise<void> {
  await pipeline(Readable.from([text]), client.query(copyFrom(`copy ${table} (${STAGED_COLUMNS}) from stdin`)));
}

export async function insertRowErrors(
  client: pg.PoolClient,
  importId: string,
  errors: readonly StagedRowError[],
): Promise<void> {
  if (!errors.length) return;
  await client.query(
    `insert into import_row_errors (import_id, row_number, column_name, value, message, severity)
     select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      importId,
      errors.map((e) => e.rowNumber),
      errors.map((e) => e.column),
      errors.map((e) => e.value),
      errors.map((e) => e.message),
      errors.map((e) => e.severity ?? 'error'),
    ],
  );
}

/**
 * Empties the import's staged rows inside the caller's transaction. TRUNCATE of the partition, not
 * DELETE: it leaves no dead rows, and locks only this import's partition.
 */
export async function deleteStagedClaims(client: pg.PoolClient | pg.Pool, importId: string): Promise<void> {
  const name = stagedClaimsPartition(importId);
  if (await partitionExists(client, name)) await client.query(`truncate ${name}`);
}

/**
 * Drops the emptied partitions of imports that are over (completed, cancelled, reverted, or whose file
 * its retention deleted: a failed one can then never be retried). Dropping a
 * partition locks the parent table for a moment, so it is done outside the import's transactions,
 * never waits long for a lock, and whatever is left is picked up by the next maintenance run.
 * Returns how many were dropped.
 */
export async function dropFinishedStagingPartitions(pool: pg.Pool, onlyImportId?: string): Promise<number> {
  const { rows } = await pool.query<{ name: string }>(
    `select c.relname as name
     from pg_inherits h join pg_class c on c.oid = h.inhrelid join pg_class p on p.oid = h.inhparent
     join imports i on 'staged_claims_' || replace(i.id::text, '-', '') = c.relname
     where p.relname = 'staged_claims' and (i.status in ('completed', 'cancelled', 'reverted') or i.file_deleted_at is not null)
       and ($1::uuid is null or i.id = $1::uuid)`,
    [onlyImportId ?? null],
  );
  let dropped = 0;
  for (const { name } of rows) {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query("set local lock_timeout = '2s'");
      await client.query(`drop table if exists ${name}`);
      await client.query('commit');
      dropped++;
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      // Busy (a chunk of another import holds the parent): the next run drops it.
      if ((e as { code?: string }).code === '55P03') continue;
      // Dropped meanwhile by another run: a worker drops an import's partition as it completes while
      // maintenance sweeps them all. Postgres then fails the second drop, when the partition goes
      // between finding it and locking its parent ("could not find tuple for parent of relation").
      if (!(await partitionExists(client, name))) continue;
      throw e;
    } finally {
      client.release();
    }
  }
  return dropped;
}

/**
 * Whether rows this import staged are missing. staged_claims is unlogged: a database crash empties it
 * while the import's checkpoints and counts, in logged tables, say those rows are there. Merging from
 * it then would apply part of the file, and closing the snapshot from it (listMissingClaims finds the
 * claims the file did not list by what it staged) would resolve as paid every claim it did list.
 *
 * Crash recovery empties an unlogged table whole, never part of it, and an import's staged rows stay
 * until it is over (a reset deletes them with the counts, in one transaction): so one staged row is
 * enough to know none was lost, where counting them all took a scan of up to a million rows each time
 * a snapshot was closed or an attempt began.
 */
export async function stagedClaimsLost(db: pg.Pool | pg.PoolClient, importId: string): Promise<boolean> {
  const { rows } = await db.query<{ lost: boolean }>(
    `select i.rows_accepted > 0 and not exists (select 1 from staged_claims s where s.import_id = i.id) as lost
     from imports i where i.id = $1`,
    [importId],
  );
  return rows[0]?.lost === true;
}

/**
 * Puts an import back to before its first line was read, inside the caller's transaction: its
 * checkpoints, row counts, counters, row errors and rejected rows. What it merged must be undone
 * first (undoClaimChanges).
 */
export async function resetImportReading(client: Tx, importId: string): Promise<void> {
  await deleteStagedClaims(client, importId);
  await client.query('delete from import_row_errors where import_id = $1', [importId]);
  await client.query('delete from import_rejected_rows where import_id = $1', [importId]);
  await client.query('delete from import_kept_claims where import_id = $1', [importId]);
  await resetReadingProgress(client, importId);
}
