// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table patients (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practices(id),
      external_account text not null,
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
      active boolean not null default true,
      first_seen_import uuid references imports(id) on delete set null,
      last_import uuid references imports(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (practice_id, external_account)
    );

    -- Balance Forward claims belong to a patient, not to a location or a payer.
    alter table claims alter column location_id drop not null;
    alter table claims alter column payer_id drop not null;
    alter table claims add column claim_type text not null default 'INS' check (claim_type in ('INS', 'BF'));
    alter table claims add column patient_id uuid references patients(id);
    create unique index claims_bf_key on claims (practice_id, claim_key) where claim_type = 'BF';
    create index claims_patient on claims (patient_id, date_of_service desc) where patient_id is not null;

    create table patient_credits (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practices(id),
      patient_id uuid not null references patients(id),
      amount_cents bigint not null check (amount_cents > 0),
      remaining_cents bigint not null check (remaining_cents >= 0 and remaining_cents <= amount_cents),
      source text not null check (source in ('import', 'manual', 'refund')),
      source_reference text not null,
      description text,
      import_id uuid references imports(id) on delete set null,
      claim_id bigint references claims(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (practice_id, patient_id, source_reference)
    );

    create table claim_payments (
      id uuid primary key default gen_random_uuid(),
      claim_id bigint not null references claims(id),
      method text not null check (method in ('patient_credit')),
      credit_id uuid references patient_credits(id),
      amount_cents bigint not null check (amount_cents > 0),
      created_by uuid not null references users(id),
      created_at timestamptz not null default now()
    );

    create table claim_refunds (
      id uuid primary key default gen_random_uuid(),
      claim_id bigint not null references claims(id),
      amount_cents bigint not null check (amount_cents > 0),
      as_credit boolean not null,
      credit_id uuid references patient_credits(id),
      created_by uuid not null references users(id),
      created_at timestamptz not null default now()
    );

    -- Rows of a patient-kind import between parsing and Save: the validated values as JSON.
    create unlogged table staged_rows (
      import_id uuid not null,
      row_no integer not null,
      row_key text not null,
      data jsonb not null,
      primary key (import_id, row_no)
    );
    create index staged_rows_key on staged_rows (import_id, row_key);

    -- Rows that disagree with themselves are staged but listed, as warnings, beside the errors.
    alter table import_row_errors add column severity text not null default 'error' check (severity in ('error', 'warning'));

    -- The cells of every rejected row as they were in the file, for the annotated error file.
    create table import_rejected_rows (
      import_id uuid not null references imports(id) on delete cascade,
      row_number integer not null,
      cells text[] not null,
      primary key (import_id, row_number)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table import_row_errors drop column severity;
    drop table import_rejected_rows, staged_rows, claim_refunds, claim_payments, patient_credits;
    drop index claims_bf_key; drop index claims_patient;
    alter table claims drop column patient_id, drop column claim_type;
    drop table patients;
  `.execute(db);
}
