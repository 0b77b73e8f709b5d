import type pg from 'pg';
import type { ImportCounters } from './schema.js';
import { deleteStagedClaims } from './aging/staging.js';
import { expireUnsavedImports } from './imports/transitions.js';
import { withTransaction } from './transaction.js';
import { classifyStagedPatients, patientQuota, sampleStagedRows, stagedTotals } from './patients/commit.js';

export interface ImportPreview {
  counts: {
    new: number;
    updated: number;
    unchanged: number;
    rejected: number;
    warnings: number;
    skippedInactive?: number;
  };
  totals: Record<string, number>;
  quota?: { quota: number; current: number; adding: number; exceeded: boolean };
  rows: Array<Record<string, unknown>>;
}

const SAMPLE_ROWS = 20;

/** What Save would do with a staged import, computed from the staged rows without applying them. */
export async function previewImport(
  pool: pg.Pool,
  imp: {
    id: string;
    kind: string;
    practiceId: string;
    locationId: string | null;
    sha256: string;
    rowsRejected: number;
    rowsWarned: number;
    counters: ImportCounters;
  },
): Promise<ImportPreview> {
  const base = { rejected: imp.rowsRejected, warnings: imp.rowsWarned };
  if (imp.kind === 'aging') {
    const { rows } = await pool.query<{
      new: number;
      updated: number;
      unchanged: number;
      staged: number;
      cents: number | null;
      open: number;
    }>(
      `with s as (select * from staged_claims where import_id = $1)
       select count(*) filter (where c.id is null)::int as new,
         count(*) filter (where c.id is not null and (c.resolved_at is not null or (c.balance_cents, c.billed_cents, c.date_of_service, c.patient_name) is distinct from (s.balance_cents, s.billed_cents, s.date_of_service, s.patient_name)))::int as updated,
         count(*) filter (where c.id is not null and c.resolved_at is null and (c.balance_cents, c.billed_cents, c.date_of_service, c.patient_name) is not distinct from (s.balance_cents, s.billed_cents, s.date_of_service, s.patient_name))::int as unchanged,
         count(*)::int as staged, sum(s.balance_cents)::bigint as cents,
         (select count(*) from claims o where o.location_id = $2 and o.resolved_at is null
            and not exists (select 1 from staged_claims x where x.import_id = $1 and x.claim_key = o.claim_key))::int as open
       from s left join claims c on c.practice_id = $3 and c.location_id = $2 and c.claim_key = s.claim_key`,
      [imp.id, imp.locationId, imp.practiceId],
    );
    const r = rows[0];
    const sample = await pool.query<Record<string, unknown>>(
      `select row_no as "rowNumber", claim_number as "claimNumber", patient_name as "patientName", patient_account as "patientAccount",
         payer_name as "payer", date_of_service as "dateOfService", billed_cents as "billedCents", balance_cents as "balanceCents"
       from staged_claims where import_id = $1 order by row_no limit $2`,
      [imp.id, SAMPLE_ROWS],
    );
    return {
      counts: { ...base, new: r?.new ?? 0, updated: r?.updated ?? 0, unchanged: r?.unchanged ?? 0 },
      totals: { rows: r?.staged ?? 0, balanceCents: r?.cents ?? 0, claimsToResolve: r?.open ?? 0 },
      rows: sample.rows,
    };
  }
  const rows = await sampleStagedRows(pool, imp.id, SAMPLE_ROWS);
  if (imp.kind === 'patients') {
    const c = await classifyStagedPatients(pool, imp.id, imp.practiceId);
    const q = await patientQuota(pool, imp.practiceId);
    const t = await stagedTotals(pool, imp.id, 'balance');
    return {
      counts: {
        ...base,
        new: c.new,
        updated: c.updated,
        unchanged: c.unchanged,
        skippedInactive: imp.counters.skippedInactive ?? 0,
      },
      totals: { rows: t.rows },
      quota: { quota: q.quota, current: q.current, adding: c.new, exceeded: q.current + c.new > q.quota },
      rows,
    };
  }
  const field = imp.kind === 'patient_balances' ? 'balance' : 'amount';
  const t = await stagedTotals(pool, imp.id, field);
  if (imp.kind === 'patient_balances') {
    // As commitBalances will see it: the patient's open Balance Forward claim, set to the new amount.
    const { rows: c } = await pool.query<{ updated: number; unchanged: number }>(
      `with s as (
         select p.id as patient_id, (s.data->>'balance')::bigint as balance
         from staged_rows s join patients p on p.practice_id = $2 and p.external_account = s.data->>'account' where s.import_id = $1
       ), cur as (
         select distinct on (c.patient_id) c.patient_id, c.balance_cents from claims c
         where c.practice_id = $2 and c.claim_type = 'BF' and c.resolved_at is null and c.patient_id in (select patient_id from s)
         order by c.patient_id, c.date_of_service desc, c.id desc
       )
       select count(*) filter (where cur.balance_cents <> s.balance)::int as updated,
         count(*) filter (where cur.balance_cents = s.balance)::int as unchanged
       from s join cur on cur.patient_id = s.patient_id`,
      [imp.id, imp.practiceId],
    );
    const updated = c[0]?.updated ?? 0;
    const unchanged = c[0]?.unchanged ?? 0;
    return {
      counts: { ...base, new: t.rows - updated - unchanged, updated, unchanged },
      totals: { rows: t.rows, balanceCents: t.cents, creditBalances: t.negative, creditBalanceCents: t.negativeCents },
      rows,
    };
  }
  const existing = await pool.query<{ n: number }>(
    `select count(*)::int as n from staged_rows s join patients p on p.practice_id = $2 and p.external_account = s.data->>'account'
     join patient_credits k on k.patient_id = p.id and k.source_reference = s.row_key where s.import_id = $1`,
    [imp.id, imp.practiceId],
  );
  const already = existing.rows[0]?.n ?? 0;
  return {
    counts: { ...base, new: t.rows - already, updated: 0, unchanged: already },
    totals: { rows: t.rows, creditCents: t.cents },
    rows,
  };
}

/** Discards staged imports that waited for Save too long (STAGED_IMPORT_TTL_DAYS), with what they staged. */
export async function expireStagedImports(pool: pg.Pool, now: Date): Promise<string[]> {
  return withTransaction(pool, async (tx) => {
    const ids = await expireUnsavedImports(tx, now);
    if (ids.length) {
      await tx.query('delete from staged_rows where import_id = any($1)', [ids]);
      for (const id of ids) await deleteStagedClaims(tx, id);
    }
    return ids;
  });
}

/** Rejected rows as they were in the file, each with its messages, for the annotated error file. */
export async function rejectedRowsWithMessages(pool: pg.Pool, importId: string, after: number, limit: number) {
  const { rows } = await pool.query<{ row_number: number; cells: string[]; messages: string }>(
    `select r.row_number, r.cells,
       (select string_agg(e.column_name || ': ' || e.message, '; ' order by e.id) from import_row_errors e
        where e.import_id = r.import_id and e.row_number = r.row_number and e.severity = 'error') as messages
     from import_rejected_rows r where r.import_id = $1 and r.row_number > $2 order by r.row_number limit $3`,
    [importId, after, limit],
  );
  return rows;
}
