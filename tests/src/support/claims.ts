import type pg from 'pg';

/** A location of its own for one import, so its claims can be compared with another location's. */
export async function addLocation(pool: pg.Pool, practiceId: string, name: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'insert into locations (practice_id, name) values ($1, $2) returning id',
    [practiceId, name],
  );
  return rows[0]!.id;
}

/**
 * A location's claims as the facts an import must get right, one line each, in key order: key, claim
 * number, patient, dates, payer, money and whether resolved. Two locations that got the same file the
 * same way have equal fingerprints.
 */
export async function claimFingerprint(pool: pg.Pool, locationId: string): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(
    `select concat_ws('|', c.claim_key, c.claim_number, c.patient_name, c.patient_account, c.date_of_birth, c.date_of_service,
              p.name, c.billed_cents, c.balance_cents, c.aging_bucket, c.resolved_at is not null) as line
     from claims c join payers p on p.id = c.payer_id
     where c.location_id = $1 order by c.claim_key`,
    [locationId],
  );
  return rows.map((r) => r.line);
}
