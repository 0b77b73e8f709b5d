import type pg from 'pg';

export interface PatientCommitCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  amountCents: number;
  creditBalances?: number;
  creditBalanceCents?: number;
}

const PATIENT_COLS = ['first_name', 'last_name', 'date_of_birth', 'sex', 'phone', 'email', 'address', 'city', 'state', 'zip', 'active'];

/** The staged patients of an import as typed columns. */
const STAGED_PATIENTS = `
  select s.row_no, s.data->>'account' as external_account, s.data->>'firstName' as first_name, s.data->>'lastName' as last_name,
    (s.data->>'dateOfBirth')::date as date_of_birth, s.data->>'sex' as sex, s.data->>'phone' as phone, s.data->>'email' as email,
    s.data->>'address' as address, s.data->>'city' as city, s.data->>'state' as state, s.data->>'zip' as zip,
    coalesce((s.data->>'active')::boolean, true) as active
  from staged_rows s where s.import_id = $1`;

/** New / updated / unchanged as Save would apply them, without applying anything. */
export async function classifyStagedPatients(db: pg.Pool | pg.PoolClient, importId: string, practiceId: string) {
  const { rows } = await db.query<{ new: number; updated: number; unchanged: number }>(
    `with s as (${STAGED_PATIENTS})
     select count(*) filter (where p.id is null)::int as new,
       count(*) filter (where p.id is not null and (${PATIENT_COLS.map((c) => `p.${c}`).join(',')}) is distinct from (${PATIENT_COLS.map((c) => `s.${c}`).join(',')}))::int as updated,
       count(*) filter (where p.id is not null and (${PATIENT_COLS.map((c) => `p.${c}`).join(',')}) is not distinct from (${PATIENT_COLS.map((c) => `s.${c}`).join(',')}))::int as unchanged
     from s left join patients p on p.practice_id = $2 and p.external_account = s.external_account`,
    [importId, practiceId],
  );
  return rows[0] ?? { new: 0, updated: 0, unchanged: 0 };
}

export async function patientQuota(db: pg.Pool | pg.PoolClient, practiceId: string): Promise<{ quota: number; current: number }> {
  const { rows } = await db.query<{ quota: number; current: number }>(
    `select p.patient_quota as quota, (select count(*) from patients where practice_id = p.id)::int as current from practices p where p.id = $1`,
    [practiceId],
  );
  return rows[0] ?? { quota: 0, current: 0 };
}

export async function commitPatients(client: pg.PoolClient, importId: string, practiceId: string): Promise<PatientCommitCounts> {
  const c = await classifyStagedPatients(client, importId, practiceId);
  const cols = PATIENT_COLS.join(', ');
  // The before-image of every patient the file changes goes in by the same statement (revert).
  await client.query(
    `with s as (${STAGED_PATIENTS}), before as (
       insert into patient_versions (import_id, patient_id, ${cols}, last_import, updated_at)
       select $1, p.id, ${PATIENT_COLS.map((col) => `p.${col}`).join(', ')}, p.last_import, p.updated_at
       from s join patients p on p.practice_id = $2 and p.external_account = s.external_account
       where (${PATIENT_COLS.map((col) => `p.${col}`).join(',')}) is distinct from (${PATIENT_COLS.map((col) => `s.${col}`).join(',')})
       on conflict do nothing
     )
     insert into patients as p (practice_id, external_account, ${cols}, first_seen_import, last_import)
     select $2, external_account, ${cols}, $1, $1 from s
     on conflict (practice_id, external_account) do update set
       ${PATIENT_COLS.map((col) => `${col} = excluded.${col}`).join(', ')}, last_import = excluded.last_import,
       updated_at = now()
     where (${PATIENT_COLS.map((col) => `p.${col}`).join(',')}) is distinct from (${PATIENT_COLS.map((col) => `excluded.${col}`).join(',')})`,
    [importId, practiceId],
  );
  return { inserted: c.new, updated: c.updated, unchanged: c.unchanged, amountCents: 0 };
}

/**
 * A patient has at most one open Balance Forward claim from imports. The first balances import makes
 * it (dated the day of the import); a later one sets its amount, keeping the before-image, and the
 * same balance again changes nothing: idempotent by content, whatever the file's bytes. Run under
 * lockPracticeBalances, so two imports never both find none and make two.
 */
export async function commitBalances(client: pg.PoolClient, importId: string, practiceId: string): Promise<PatientCommitCounts> {
  const { rows } = await client.query<{
    inserted: number;
    updated: number;
    unchanged: number;
    amount: number | null;
    credits: number;
    credit_cents: number | null;
  }>(
    `with s as (
       select s.row_no, p.id as patient_id, p.first_name, p.last_name, s.data->>'account' as account, (s.data->>'balance')::bigint as balance
       from staged_rows s join patients p on p.practice_id = $2 and p.external_account = s.data->>'account'
       where s.import_id = $1
     ), i as (
       -- The day of the import in the practice's own time zone.
       select (i.created_at at time zone p.time_zone)::date as day from imports i join practices p on p.id = i.practice_id where i.id = $1
     ),
     cur as (
       select distinct on (c.patient_id) c.*
       from claims c
       where c.practice_id = $2 and c.claim_type = 'BF' and c.resolved_at is null and c.patient_id in (select patient_id from s)
       order by c.patient_id, c.date_of_service desc, c.id desc
     ), pair as (
       select s.*, cur.id as claim_id, cur.balance_cents as old_balance from s left join cur on cur.patient_id = s.patient_id
     ), before as (
       insert into claim_versions (import_id, claim_id, claim_number, patient_name, patient_account, date_of_birth, payer_id,
         date_of_service, billed_cents, balance_cents, aging_bucket, last_seen_import, resolved_at, resolved_by_import, updated_at)
       select $1, cur.id, cur.claim_number, cur.patient_name, cur.patient_account, cur.date_of_birth, cur.payer_id,
         cur.date_of_service, cur.billed_cents, cur.balance_cents, cur.aging_bucket, cur.last_seen_import, cur.resolved_at,
         cur.resolved_by_import, cur.updated_at
       from cur join pair p on p.claim_id = cur.id where p.balance <> cur.balance_cents
       on conflict do nothing
     ), upd as (
       update claims c set balance_cents = p.balance, billed_cents = p.balance, last_seen_import = $1, updated_at = now()
       from pair p where c.id = p.claim_id and c.balance_cents <> p.balance
       returning c.id
     ), ins as (
       insert into claims (practice_id, location_id, claim_key, claim_number, claim_type, patient_id, patient_name, patient_account,
         payer_id, date_of_service, billed_cents, balance_cents, aging_bucket, first_seen_import, last_seen_import)
       select $2, null, 'BF:' || p.account || ':' || $1, null, 'BF', p.patient_id, p.last_name || ', ' || p.first_name, p.account,
         null, i.day, p.balance, p.balance, null, $1, $1
       from pair p cross join i where p.claim_id is null
       returning 1
     )
     select (select count(*) from ins)::int as inserted, (select count(*) from upd)::int as updated,
       (select count(*) from pair where claim_id is not null and old_balance = balance)::int as unchanged,
       (select sum(balance) from pair)::bigint as amount,
       (select count(*) from pair where balance < 0)::int as credits,
       (select sum(balance) from pair where balance < 0)::bigint as credit_cents`,
    [importId, practiceId],
  );
  const r = rows[0];
  return {
    inserted: r?.inserted ?? 0,
    updated: r?.updated ?? 0,
    unchanged: r?.unchanged ?? 0,
    amountCents: r?.amount ?? 0,
    creditBalances: r?.credits ?? 0,
    creditBalanceCents: r?.credit_cents ?? 0,
  };
}

/** Balances imports of one practice take turns (see commitBalances), inside the caller's transaction. */
export async function lockPracticeBalances(client: pg.PoolClient, practiceId: string): Promise<void> {
  await client.query(`select pg_advisory_xact_lock(hashtext('ledgerport:balances:' || $1))`, [practiceId]);
}

/**
 * Credits become available on the patient's account. Their key (the row's reference, or its amount,
 * date and description) keeps a re-import from adding one twice; a credit already there counts as
 * applied, since it stands.
 */
export async function commitCredits(client: pg.PoolClient, importId: string, practiceId: string, createdBy: string): Promise<PatientCommitCounts> {
  const { rows } = await client.query<{ inserted: number; existing: number; amount: number | null }>(
    `with s as (
       select s.row_no, p.id as patient_id, (s.data->>'amount')::bigint as amount, s.row_key, s.data->>'description' as description
       from staged_rows s join patients p on p.practice_id = $2 and p.external_account = s.data->>'account'
       where s.import_id = $1
     ), ins as (
       insert into patient_credits (practice_id, patient_id, amount_cents, remaining_cents, source, source_reference, description, import_id, created_by)
       select $2, patient_id, amount, amount, 'import', row_key, description, $1, $3 from s
       on conflict (practice_id, patient_id, source_reference) do nothing
       returning amount_cents
     )
     select (select count(*) from ins)::int as inserted, (select count(*) from s)::int - (select count(*) from ins)::int as existing,
       -- What stands after Save: the new credits, and those already there for the same amount. A credit
       -- already there under the key with another amount is not this row's: its money is not applied.
       coalesce((select sum(amount_cents) from ins), 0)::bigint + coalesce((
         select sum(s.amount) from s join patient_credits k
           on k.practice_id = $2 and k.patient_id = s.patient_id and k.source_reference = s.row_key and k.amount_cents = s.amount
         where k.import_id is distinct from $1
       ), 0)::bigint as amount`,
    [importId, practiceId, createdBy],
  );
  const r = rows[0];
  return { inserted: r?.inserted ?? 0, updated: 0, unchanged: r?.existing ?? 0, amountCents: r?.amount ?? 0 };
}

/** The first staged rows as Save will write them, for the preview. */
export async function sampleStagedRows(db: pg.Pool, importId: string, limit: number) {
  const { rows } = await db.query<{ row_no: number; data: Record<string, unknown> }>(
    'select row_no, data from staged_rows where import_id = $1 order by row_no limit $2',
    [importId, limit],
  );
  return rows.map((r) => ({ rowNumber: r.row_no, ...r.data }));
}

export async function stagedTotals(db: pg.Pool, importId: string, field: string) {
  const { rows } = await db.query<{ rows: number; cents: number | null; negative: number; negative_cents: number | null }>(
    `select count(*)::int as rows, sum((data->>$2)::bigint)::bigint as cents,
       count(*) filter (where (data->>$2)::bigint < 0)::int as negative, sum((data->>$2)::bigint) filter (where (data->>$2)::bigint < 0)::bigint as negative_cents
     from staged_rows where import_id = $1`,
    [importId, field],
  );
  const r = rows[0];
  return { rows: r?.rows ?? 0, cents: r?.cents ?? 0, negative: r?.negative ?? 0, negativeCents: r?.negative_cents ?? 0 };
}
