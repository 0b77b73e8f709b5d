import type pg from 'pg';
import { ConflictError } from '@ledgerport/core';

/**
 * Undoes a completed patients import inside the caller's transaction: changed patients get their
 * before-images back, patients it created are removed, unless something was recorded for them since
 * (a balance, a credit), which would lose money: then nothing is undone.
 */
export async function undoPatientsImport(client: pg.PoolClient, importId: string): Promise<void> {
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int as n from patients p
     where p.first_seen_import = $1
       and (exists (select 1 from claims c where c.patient_id = p.id) or exists (select 1 from patient_credits k where k.patient_id = p.id))`,
    [importId],
  );
  const used = rows[0]?.n ?? 0;
  if (used > 0)
    throw new ConflictError(
      'not_revertible',
      `${used.toLocaleString('en-US')} patient${used === 1 ? '' : 's'} this file added now ${used === 1 ? 'has' : 'have'} balances or credits. Revert those imports first, then this one.`,
    );
  await client.query(
    `update patients p set first_name = v.first_name, last_name = v.last_name, date_of_birth = v.date_of_birth, sex = v.sex,
       phone = v.phone, email = v.email, address = v.address, city = v.city, state = v.state, zip = v.zip, active = v.active,
       last_import = v.last_import, updated_at = v.updated_at
     from patient_versions v where v.import_id = $1 and v.patient_id = p.id`,
    [importId],
  );
  await client.query('delete from patient_versions where import_id = $1', [importId]);
  await client.query('delete from patients where first_seen_import = $1', [importId]);
}

/**
 * Undoes a completed balances import: Balance Forward claims it set get their before-images back,
 * those it created are removed, unless a payment or refund was recorded on one since.
 */
export async function undoBalancesImport(client: pg.PoolClient, importId: string): Promise<void> {
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int as n from claims c
     where c.claim_type = 'BF' and (c.first_seen_import = $1 or c.last_seen_import = $1)
       and (exists (select 1 from claim_payments p where p.claim_id = c.id) or exists (select 1 from claim_refunds r where r.claim_id = c.id))`,
    [importId],
  );
  const paid = rows[0]?.n ?? 0;
  if (paid > 0)
    throw new ConflictError(
      'not_revertible',
      `Payments or refunds were recorded on ${paid.toLocaleString('en-US')} Balance Forward claim${paid === 1 ? '' : 's'} of this file since; it can no longer be reverted.`,
    );
  await client.query(
    `update claims c set balance_cents = v.balance_cents, billed_cents = v.billed_cents, last_seen_import = v.last_seen_import,
       resolved_at = v.resolved_at, resolved_by_import = v.resolved_by_import, updated_at = v.updated_at
     from claim_versions v where v.import_id = $1 and v.claim_id = c.id`,
    [importId],
  );
  await client.query('delete from claim_versions where import_id = $1', [importId]);
  await client.query(`delete from claims where first_seen_import = $1 and claim_type = 'BF'`, [importId]);
}

/** Undoes a completed credits import: its credits are removed, unless any of them has been used. */
export async function undoCreditsImport(client: pg.PoolClient, importId: string): Promise<void> {
  const { rows } = await client.query<{ n: number }>(
    'select count(*)::int as n from patient_credits where import_id = $1 and remaining_cents < amount_cents',
    [importId],
  );
  const used = rows[0]?.n ?? 0;
  if (used > 0)
    throw new ConflictError(
      'not_revertible',
      `${used.toLocaleString('en-US')} credit${used === 1 ? '' : 's'} of this file ${used === 1 ? 'has' : 'have'} been applied to claims since; it can no longer be reverted.`,
    );
  await client.query('delete from patient_credits where import_id = $1', [importId]);
}
