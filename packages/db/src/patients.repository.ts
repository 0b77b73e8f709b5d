import { isUuid } from '@ledgerport/core';
import type pg from 'pg';

/** One line of the patients list: who they are and how to reach them (a date as YYYY-MM-DD). */
export interface PatientListRow {
  id: string;
  externalAccount: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string | null;
  sex: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  active: boolean;
}

export async function listPatients(
  pool: pg.Pool,
  practiceId: string,
  opts: { limit: number; offset: number; search?: string },
): Promise<{ items: PatientListRow[]; total: number }> {
  const search = opts.search ? `%${opts.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await pool.query<PatientListRow & { total: number }>(
    `select id, external_account as "externalAccount", first_name as "firstName", last_name as "lastName", date_of_birth as "dateOfBirth",
       sex, phone, email, address, city, state, zip, active, count(*) over ()::int as total
     from patients where practice_id = $1
       and ($2::text is null or external_account ilike $2 or last_name ilike $2 or first_name ilike $2)
     order by last_name, first_name, external_account limit $3 offset $4`,
    [practiceId, search, opts.limit, opts.offset],
  );
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

export async function findPatient(pool: pg.Pool | pg.PoolClient, practiceId: string, id: string) {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query<{ id: string; externalAccount: string; firstName: string; lastName: string }>(
    `select id, external_account as "externalAccount", first_name as "firstName", last_name as "lastName" from patients where practice_id = $1 and id = $2`,
    [practiceId, id],
  );
  return rows[0] ?? null;
}

export interface PatientClaimRow {
  id: number;
  type: string;
  claimNumber: string | null;
  dateOfService: string;
  billedCents: number | null;
  balanceCents: number;
  payer: string | null;
  location: string | null;
  resolvedAt: Date | null;
  importId: string | null;
  createdAt: Date;
}

/** The patient's claim history, newest first: Balance Forward claims and insurance claims on their account. */
export async function patientClaims(pool: pg.Pool, practiceId: string, patientId: string): Promise<PatientClaimRow[]> {
  const { rows } = await pool.query<PatientClaimRow>(
    `select c.id, c.claim_type as "type", c.claim_number as "claimNumber", c.date_of_service as "dateOfService",
       c.billed_cents as "billedCents", c.balance_cents as "balanceCents", py.name as payer, l.name as location,
       c.resolved_at as "resolvedAt", c.first_seen_import as "importId", c.created_at as "createdAt"
     from claims c
     join patients p on p.id = $2 and p.practice_id = $1
     left join payers py on py.id = c.payer_id
     left join locations l on l.id = c.location_id
     where c.practice_id = $1 and (c.patient_id = p.id or (c.patient_id is null and c.patient_account = p.external_account))
     order by c.date_of_service desc, c.id desc`,
    [practiceId, patientId],
  );
  return rows;
}

export async function patientCredits(pool: pg.Pool, patientId: string) {
  const { rows } = await pool.query<{ remainingCents: number }>(
    `select id, amount_cents as "amountCents", remaining_cents as "remainingCents", source, source_reference as "reference",
       description, import_id as "importId", claim_id as "claimId", created_at as "createdAt"
     from patient_credits where patient_id = $1 and remaining_cents > 0 order by created_at, id`,
    [patientId],
  );
  return { items: rows, totalCents: rows.reduce((s, r) => s + r.remainingCents, 0) };
}

export interface PatientPaymentRow {
  id: string;
  kind: 'applied_credit' | 'refund';
  claimId: number;
  claimNumber: string | null;
  creditId: string | null;
  amountCents: number;
  asCredit: boolean;
  by: string | null;
  at: Date;
}

/**
 * Everything on a patient's account for their page: every credit (used ones too, so a credit's
 * story can be followed), and the credits applied to their claims and the refunds of their claims'
 * credit balances, newest first.
 */
export async function patientAccount(pool: pg.Pool, practiceId: string, patientId: string) {
  const { rows: credits } = await pool.query<{
    id: string;
    amountCents: number;
    remainingCents: number;
    source: string;
    reference: string | null;
    description: string | null;
    createdAt: Date;
  }>(
    `select id, amount_cents as "amountCents", remaining_cents as "remainingCents", source, source_reference as "reference",
       description, created_at as "createdAt"
     from patient_credits where practice_id = $1 and patient_id = $2 order by created_at, id`,
    [practiceId, patientId],
  );
  const { rows: payments } = await pool.query<PatientPaymentRow>(
    `with mine as (
       select c.id, c.claim_number from claims c join patients p on p.id = $2 and p.practice_id = $1
       where c.practice_id = $1 and (c.patient_id = p.id or (c.patient_id is null and c.patient_account = p.external_account))
     )
     select x.id, 'applied_credit' as kind, x.claim_id as "claimId", m.claim_number as "claimNumber", x.credit_id as "creditId",
       x.amount_cents as "amountCents", false as "asCredit", u.name as by, x.created_at as at
     from claim_payments x join mine m on m.id = x.claim_id left join users u on u.id = x.created_by
     union all
     select x.id, 'refund', x.claim_id, m.claim_number, x.credit_id, x.amount_cents, x.as_credit, u.name, x.created_at
     from claim_refunds x join mine m on m.id = x.claim_id left join users u on u.id = x.created_by
     order by at desc, id`,
    [practiceId, patientId],
  );
  return { credits, payments };
}

export async function addManualCredit(
  pool: pg.Pool,
  c: { practiceId: string; patientId: string; amountCents: number; description: string | null; reference: string | null; createdBy: string },
) {
  const { rows } = await pool.query<Record<string, unknown>>(
    `insert into patient_credits (practice_id, patient_id, amount_cents, remaining_cents, source, source_reference, description, created_by)
     values ($1, $2, $3, $3, 'manual', coalesce($4, 'manual:' || gen_random_uuid()), $5, $6)
     on conflict (practice_id, patient_id, source_reference) do nothing
     returning id, amount_cents as "amountCents", remaining_cents as "remainingCents", source, source_reference as "reference", description`,
    [c.practiceId, c.patientId, c.amountCents, c.reference, c.description, c.createdBy],
  );
  return rows[0] ?? null;
}

export interface ClaimRow {
  id: number;
  practice_id: string;
  patient_id: string | null;
  patient_account: string | null;
  balance_cents: number;
}

export async function lockClaim(client: pg.PoolClient, practiceId: string, claimId: number): Promise<ClaimRow | null> {
  const { rows } = await client.query<ClaimRow>(
    'select id, practice_id, patient_id, patient_account, balance_cents from claims where id = $1 and practice_id = $2 for update',
    [claimId, practiceId],
  );
  return rows[0] ?? null;
}

/** The patient a claim belongs to: linked directly (BF claims) or through the account number. */
export async function claimPatientId(client: pg.PoolClient, claim: ClaimRow): Promise<string | null> {
  if (claim.patient_id) return claim.patient_id;
  if (!claim.patient_account) return null;
  const { rows } = await client.query<{ id: string }>('select id from patients where practice_id = $1 and external_account = $2', [
    claim.practice_id,
    claim.patient_account,
  ]);
  return rows[0]?.id ?? null;
}

/**
 * Takes amount from a credit only if that much remains; the condition in the UPDATE makes two
 * applications racing for one credit safe without a separate lock.
 */
export async function drawCredit(client: pg.PoolClient, creditId: string, patientId: string, amountCents: number): Promise<boolean> {
  const r = await client.query(
    'update patient_credits set remaining_cents = remaining_cents - $3 where id = $1 and patient_id = $2 and remaining_cents >= $3',
    [creditId, patientId, amountCents],
  );
  return r.rowCount === 1;
}

export async function findCredit(client: pg.PoolClient, practiceId: string, creditId: string) {
  if (!isUuid(creditId)) return null;
  const { rows } = await client.query<{ id: string; patient_id: string; remaining_cents: number }>(
    'select id, patient_id, remaining_cents from patient_credits where id = $1 and practice_id = $2',
    [creditId, practiceId],
  );
  return rows[0] ?? null;
}
