import type pg from 'pg';

export interface StagedRow {
  rowNo: number;
  key: string;
  data: Record<string, string | number | boolean | null>;
}

/** One statement per chunk: arrays unnested server-side, no per-row round trips. */
export async function insertStagedRows(client: pg.PoolClient, importId: string, rows: readonly StagedRow[]): Promise<void> {
  if (!rows.length) return;
  await client.query(
    `insert into staged_rows (import_id, row_no, row_key, data)
     select $1, * from unnest($2::int[], $3::text[], $4::jsonb[])`,
    [importId, rows.map((r) => r.rowNo), rows.map((r) => r.key), rows.map((r) => JSON.stringify(r.data))],
  );
}

export async function insertRejectedRows(client: pg.PoolClient, importId: string, rows: ReadonlyArray<{ rowNumber: number; cells: string[] }>): Promise<void> {
  if (!rows.length) return;
  await client.query(
    `insert into import_rejected_rows (import_id, row_number, cells)
     select $1, r.n, array(select jsonb_array_elements_text(r.c)) from unnest($2::int[], $3::jsonb[]) as r(n, c)
     on conflict do nothing`,
    [importId, rows.map((r) => r.rowNumber), rows.map((r) => JSON.stringify(r.cells))],
  );
}

/**
 * Rows that repeat an earlier row's key, and balance or credit rows whose account number is not a
 * patient of the practice, become row errors. Runs on the chunk just staged.
 */
export async function rejectUnusableStagedRows(
  client: pg.PoolClient,
  importId: string,
  practiceId: string,
  fromRowExclusive: number,
  opts: { needsPatient: boolean; keyLabel: string },
): Promise<number[]> {
  const rejected: number[] = [];
  const dup = await client.query<{ row_no: number }>(
    `with d as (
       delete from staged_rows s
       where s.import_id = $1 and s.row_no > $2
         and exists (select 1 from staged_rows t where t.import_id = $1 and t.row_key = s.row_key and t.row_no < s.row_no)
       returning s.row_no, s.row_key, s.data,
         (select min(t.row_no) from staged_rows t where t.import_id = $1 and t.row_key = s.row_key) as first_row
     )
     insert into import_row_errors (import_id, row_number, column_name, value, message)
     select $1, row_no, 'Account Number', data->>'account',
       $3 || ' appears more than once in the file; only the first, on line ' || first_row || ', was used'
     from d returning row_number as row_no`,
    [importId, fromRowExclusive, opts.keyLabel],
  );
  rejected.push(...dup.rows.map((r) => r.row_no));
  if (opts.needsPatient) {
    const missing = await client.query<{ row_number: number }>(
      `with d as (
         delete from staged_rows s
         where s.import_id = $1 and s.row_no > $2
           and not exists (select 1 from patients p where p.practice_id = $3 and p.external_account = s.data->>'account')
         returning s.row_no, s.data
       )
       insert into import_row_errors (import_id, row_number, column_name, value, message)
       select $1, row_no, 'Account Number', data->>'account',
         'No patient has account number ' || (data->>'account') || '; import the patient first'
       from d
       returning row_number`,
      [importId, fromRowExclusive, practiceId],
    );
    rejected.push(...missing.rows.map((r) => r.row_number));
  }
  return rejected;
}

export async function deleteStagedRows(client: pg.PoolClient | pg.Pool, importId: string): Promise<void> {
  await client.query('delete from staged_rows where import_id = $1', [importId]);
}
