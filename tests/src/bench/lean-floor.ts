// The lean floor: the least Postgres can do to keep a location's claims current from a file, on the
// leanest schema that still keeps them apart (claims with a bigint key and a unique (location, claim
// key), payers with a unique normalised name; no foreign keys, no history, no validation). The pipeline
// is judged against this, so that a slow schema shows up as slowness instead of hiding inside the
// floor it is compared with (the other floor writes into Ledgerport's own tables).
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createClient } from '@ledgerport/db';
import { from as copyFrom } from 'pg-copy-streams';

const NORM = (col: string) => `lower(regexp_replace(${col}, '[^a-zA-Z0-9]', '', 'g'))`;
const LOCATION = 1;

export interface LeanRun {
  seconds: number;
  copySeconds: number;
  resolved: number;
}

/** Creates the lean tables in the (empty) database of databaseUrl. */
export async function createLeanSchema(databaseUrl: string): Promise<void> {
  const client = createClient(databaseUrl);
  await client.connect();
  try {
    await client.query(`
      create table lean_payers (
        id bigint generated always as identity primary key,
        name text not null,
        normalized_name text not null unique
      );
      create table lean_claims (
        id bigint generated always as identity primary key,
        location_id int not null,
        claim_key text not null,
        claim_number text not null,
        patient_name text,
        patient_account text,
        date_of_birth date,
        payer_id bigint,
        date_of_service date,
        billed_cents bigint,
        balance_cents bigint,
        last_seen int not null,
        resolved_at timestamptz,
        unique (location_id, claim_key)
      );`);
  } finally {
    await client.end();
  }
}

/**
 * One file into the lean tables: \copy into an unlogged text table, one payer insert, one upsert that
 * rewrites every row it lists, then the location's claims the file did not list are resolved.
 * `run` numbers the imports (1, 2, …) the way last_seen stamps them.
 */
export async function leanImport(databaseUrl: string, file: string, run: number): Promise<LeanRun> {
  const client = createClient(databaseUrl);
  await client.connect();
  try {
    const t0 = performance.now();
    await client.query(`drop table if exists lean_raw; create unlogged table lean_raw (claim_number text, patient_account text,
      patient_name text, dob text, payer text, dos text, billed text, balance text)`);
    await pipeline(
      createReadStream(file),
      client.query(copyFrom('copy lean_raw from stdin with (format csv, header true)')),
    );
    const copySeconds = (performance.now() - t0) / 1000;
    await client.query('begin');
    await client.query(
      `insert into lean_payers (name, normalized_name)
       select distinct on (n) payer, n from (select payer, ${NORM('payer')} n from lean_raw) x order by n
       on conflict (normalized_name) do nothing`,
    );
    await client.query(
      `insert into lean_claims (location_id, claim_key, claim_number, patient_name, patient_account, date_of_birth, payer_id,
         date_of_service, billed_cents, balance_cents, last_seen)
       select $1, r.claim_number, r.claim_number, r.patient_name, r.patient_account, to_date(r.dob, 'MM/DD/YYYY'), p.id,
         to_date(r.dos, 'MM/DD/YYYY'), round(r.billed::numeric * 100), round(r.balance::numeric * 100), $2
       from lean_raw r join lean_payers p on p.normalized_name = ${NORM('r.payer')}
       on conflict (location_id, claim_key) do update set
         claim_number = excluded.claim_number, patient_name = excluded.patient_name, patient_account = excluded.patient_account,
         date_of_birth = excluded.date_of_birth, payer_id = excluded.payer_id, date_of_service = excluded.date_of_service,
         billed_cents = excluded.billed_cents, balance_cents = excluded.balance_cents, last_seen = excluded.last_seen,
         resolved_at = null`,
      [LOCATION, run],
    );
    const resolved = await client.query(
      `update lean_claims set resolved_at = now() where location_id = $1 and resolved_at is null and last_seen <> $2`,
      [LOCATION, run],
    );
    await client.query('commit');
    return { seconds: (performance.now() - t0) / 1000, copySeconds, resolved: resolved.rowCount ?? 0 };
  } finally {
    await client.end();
  }
}
