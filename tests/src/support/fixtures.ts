import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export interface PatientFixture {
  patientId: string;
  /** a claim the patient owes on (for payments) */
  owedClaimId: number;
  /** a claim with a credit balance (for refunds) */
  creditClaimId: number;
  creditId: string;
}

/**
 * A patient with two Balance Forward claims (one owed, one overpaid) and an available credit, written
 * straight to the tables: tests of the money routes need accounts, not the import pipeline.
 */
export async function insertPatientFixture(
  pool: pg.Pool,
  practiceId: string,
  userId: string,
  amounts: { owedCents: number; overpaidCents: number; creditCents: number },
): Promise<PatientFixture> {
  const account = `FX-${randomUUID().slice(0, 8)}`;
  const importId = randomUUID();
  await pool.query(
    `insert into imports (id, practice_id, kind, original_name, size_bytes, sha256, storage_key, created_by, status)
     values ($1, $2, 'patient_balances', 'fixture.csv', 1, $3, $4, $5, 'completed')`,
    [importId, practiceId, randomUUID(), `${practiceId}/${importId}`, userId],
  );
  const { rows: p } = await pool.query<{ id: string }>(
    `insert into patients (practice_id, external_account, first_name, last_name) values ($1, $2, 'Fixture', 'Patient') returning id`,
    [practiceId, account],
  );
  const patientId = p[0]!.id;
  const claim = async (key: string, balance: number) => {
    const { rows } = await pool.query<{ id: number }>(
      `insert into claims (practice_id, claim_key, patient_name, patient_account, date_of_service, balance_cents,
         first_seen_import, last_seen_import, claim_type, patient_id)
       values ($1, $2, 'Patient, Fixture', $3, '2026-01-02', $4, $5, $5, 'BF', $6) returning id`,
      [practiceId, `${account}-${key}`, account, balance, importId, patientId],
    );
    return rows[0]!.id;
  };
  const owedClaimId = await claim('owed', amounts.owedCents);
  const creditClaimId = await claim('over', -amounts.overpaidCents);
  const { rows: c } = await pool.query<{ id: string }>(
    `insert into patient_credits (practice_id, patient_id, amount_cents, remaining_cents, source, source_reference, created_by)
     values ($1, $2, $3, $3, 'manual', $4, $5) returning id`,
    [practiceId, patientId, amounts.creditCents, `fixture:${randomUUID()}`, userId],
  );
  return { patientId, owedClaimId, creditClaimId, creditId: c[0]!.id };
}
