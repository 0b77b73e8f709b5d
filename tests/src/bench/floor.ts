// The hand-written Postgres floor the pipeline is measured against: \copy into an unlogged text table,
// then one INSERT … SELECT … ON CONFLICT into claims with payers resolved by join. No validation.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createClient } from '@ledgerport/db';
import { from as copyFrom } from 'pg-copy-streams';

const NORM = (col: string) => `lower(regexp_replace(${col}, '[^a-zA-Z0-9]', '', 'g'))`;

export interface FloorIds {
  practiceId: string;
  locationId: string;
  userId: string;
}

export async function floorImport(
  databaseUrl: string,
  ids: FloorIds,
  file: string,
  importId: string,
): Promise<{ seconds: number; copySeconds: number }> {
  const client = createClient(databaseUrl);
  await client.connect();
  try {
    await client.query(
      `insert into imports (id, practice_id, location_id, kind, original_name, size_bytes, sha256, storage_key, created_by)
       values ($1, $2, $3, 'aging', 'floor', 0, $5, 'floor', $4)`,
      // The id goes in twice as two parameters: one parameter used as both uuid and text is refused (42P08).
      [importId, ids.practiceId, ids.locationId, ids.userId, importId],
    );
    const t0 = performance.now();
    await client.query(`drop table if exists floor_raw; create unlogged table floor_raw (claim_number text, patient_account text, patient_name text,
      dob text, payer text, dos text, billed text, balance text)`);
    await pipeline(
      createReadStream(file),
      client.query(copyFrom('copy floor_raw from stdin with (format csv, header true)')),
    );
    const copySeconds = (performance.now() - t0) / 1000;
    await client.query('begin');
    await client.query(
      `insert into payers (practice_id, name, normalized_name)
       select distinct on (n) $1::uuid, payer, n from (select payer, ${NORM('payer')} n from floor_raw) x order by n
       on conflict (practice_id, normalized_name) do nothing`,
      [ids.practiceId],
    );
    await client.query(
      `insert into claims (practice_id, location_id, claim_key, claim_number, patient_name, patient_account, date_of_birth, payer_id,
         date_of_service, billed_cents, balance_cents, first_seen_import, last_seen_import)
       select $1, $2, r.claim_number, r.claim_number, r.patient_name, r.patient_account, to_date(r.dob, 'MM/DD/YYYY'), p.id,
         to_date(r.dos, 'MM/DD/YYYY'), round(r.billed::numeric * 100), round(r.balance::numeric * 100), $3, $3
       from floor_raw r join payers p on p.practice_id = $1 and p.normalized_name = ${NORM('r.payer')}
       on conflict (practice_id, location_id, claim_key) do update set
         patient_name = excluded.patient_name, patient_account = excluded.patient_account, date_of_birth = excluded.date_of_birth,
         payer_id = excluded.payer_id, date_of_service = excluded.date_of_service, billed_cents = excluded.billed_cents,
         balance_cents = excluded.balance_cents, last_seen_import = excluded.last_seen_import, resolved_at = null`,
      [ids.practiceId, ids.locationId, importId],
    );
    await client.query(
      `update claims set resolved_at = now() where location_id = $1 and resolved_at is null and last_seen_import <> $2`,
      [ids.locationId, importId],
    );
    await client.query('commit');
    return { seconds: (performance.now() - t0) / 1000, copySeconds };
  } finally {
    await client.end();
  }
}
