import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine } from './copy-text.js';

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

const STAGED_COLUMNS =
  'import_id, row_no, claim_key, claim_number, patient_name, patient_account, date_of_birth, payer_name, payer_key, date_of_service, billed_cents, balance_cents, aging_bucket';

/** Bulk-loads one chunk of accepted rows with COPY: one round trip, no per-row statements. */
export async function copyStagedClaims(client: pg.PoolClient, importId: string, rows: readonly StagedClaim[]): Promise<void> {
  if (!rows.length) return;
  let text = '';
  for (const r of rows) {
    text += copyLine([
      importId,
      r.rowNo,
      r.claimKey,
      r.claimNumber,
      r.patientName,
      r.patientAccount,
      r.dateOfBirth,
      r.payerName,
      r.payerKey,
      r.dateOfService,
      r.billedCents,
      r.balanceCents,
      r.agingBucket,
    ]);
  }
  const stream = client.query(copyFrom(`copy staged_claims (${STAGED_COLUMNS}) from stdin`));
  await pipeline(Readable.from([text]), stream);
}

export async function insertRowErrors(client: pg.PoolClient, importId: string, errors: readonly StagedRowError[]): Promise<void> {
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
 * A claim key seen earlier in the same file: the later rows are rejected (the first one wins), so the
 * merge never sees one claim twice. Runs after each chunk is staged.
 */
export async function rejectDuplicateKeys(client: pg.PoolClient, importId: string, fromRowExclusive: number): Promise<number[]> {
  const { rows } = await client.query<{ row_number: number }>(
    `with dup as (
       delete from staged_claims s
       where s.import_id = $1 and s.row_no > $2
         and exists (select 1 from staged_claims t where t.import_id = $1 and t.claim_key = s.claim_key and t.row_no < s.row_no)
       returning s.row_no, s.claim_key, s.claim_number,
         (select min(t.row_no) from staged_claims t where t.import_id = $1 and t.claim_key = s.claim_key) as first_row
     )
     insert into import_row_errors (import_id, row_number, column_name, value, message)
     select $1, row_no, case when claim_number is null then 'Claim' else 'Claim Number' end, coalesce(claim_number, ''),
       case when claim_number is null
         then 'This claim (same patient, payer, date of service and amount) appears more than once in the file; only the first, on line ' || first_row || ', was used'
         else 'Claim number ' || claim_number || ' appears more than once in the file; only the first, on line ' || first_row || ', was used' end
     from dup
     returning row_number`,
    [importId, fromRowExclusive],
  );
  return rows.map((r) => r.row_number);
}

export async function deleteStagedClaims(client: pg.PoolClient | pg.Pool, importId: string): Promise<void> {
  await client.query('delete from staged_claims where import_id = $1', [importId]);
}
