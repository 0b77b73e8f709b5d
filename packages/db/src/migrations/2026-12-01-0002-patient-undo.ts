// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Before-images of patients an import changed, written in the same statement as the change:
    -- reverting the import restores them exactly.
    create table patient_versions (
      import_id uuid not null references imports(id) on delete cascade,
      patient_id uuid not null references patients(id) on delete cascade,
      first_name text not null,
      last_name text not null,
      date_of_birth date,
      sex text,
      phone text,
      email text,
      address text,
      city text,
      state text,
      zip text,
      active boolean not null,
      last_import uuid,
      updated_at timestamptz not null,
      primary key (import_id, patient_id)
    );
    -- Balance Forward claims (no payer) get before-images too, when a later balances import sets them.
    alter table claim_versions alter column payer_id drop not null;
    -- A patient's open Balance Forward claim from imports is found by patient, not by file.
    create index claims_bf_open_by_patient on claims (patient_id) where claim_type = 'BF' and resolved_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index claims_bf_open_by_patient;
    alter table claim_versions alter column payer_id set not null;
    drop table patient_versions;
  `.execute(db);
}
