// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table practices (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      patient_quota integer not null default 1000,
      created_at timestamptz not null default now()
    );
    create table locations (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practices(id),
      name text not null,
      last_report_date date,
      created_at timestamptz not null default now(),
      unique (practice_id, name)
    );
    create table users (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practices(id),
      email text not null unique,
      name text not null,
      role text not null check (role in ('staff', 'admin')),
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      token_hash text not null unique,
      label text not null default '',
      created_at timestamptz not null default now(),
      last_used_at timestamptz
    );
    create table imports (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practices(id),
      location_id uuid references locations(id),
      kind text not null,
      format text,
      encoding text,
      mode text not null default 'commit' check (mode in ('commit', 'preview')),
      on_invalid text not null default 'skip' check (on_invalid in ('skip', 'block')),
      options jsonb not null default '{}',
      original_name text not null,
      size_bytes bigint not null,
      sha256 text not null,
      storage_key text not null,
      status text not null default 'queued'
        check (status in ('queued', 'running', 'ready', 'completed', 'failed', 'cancelled', 'reverted')),
      phase text not null default 'queued',
      cancel_requested boolean not null default false,
      report_date date,
      rows_read integer not null default 0,
      rows_accepted integer not null default 0,
      rows_rejected integer not null default 0,
      rows_warned integer not null default 0,
      rows_committed integer not null default 0,
      bytes_read bigint not null default 0,
      stage_checkpoint integer not null default 0,
      commit_checkpoint integer not null default 0,
      counters jsonb not null default '{}',
      previous_import_id uuid,
      summary jsonb,
      header jsonb,
      last_error text,
      last_error_code text,
      attempts integer not null default 0,
      created_by uuid not null references users(id),
      retried_by uuid references users(id),
      cancelled_by uuid references users(id),
      created_at timestamptz not null default now(),
      started_at timestamptz,
      phase_started_at timestamptz,
      updated_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index imports_practice_created on imports (practice_id, created_at desc);
    create index imports_duplicate on imports (location_id, kind, sha256) where status = 'completed';

    create table import_row_errors (
      id bigint generated always as identity primary key,
      import_id uuid not null references imports(id) on delete cascade,
      row_number integer not null,
      column_name text not null,
      value text not null,
      message text not null
    );
    create index import_row_errors_import on import_row_errors (import_id, row_number);

    create table payers (
      id bigint generated always as identity primary key,
      practice_id uuid not null references practices(id),
      name text not null,
      normalized_name text not null,
      status text not null default 'Active',
      created_by_import uuid references imports(id) on delete set null,
      created_at timestamptz not null default now(),
      unique (practice_id, normalized_name)
    );

    create table claims (
      id bigint generated always as identity primary key,
      practice_id uuid not null references practices(id),
      location_id uuid not null references locations(id),
      claim_key text not null,
      claim_number text,
      patient_name text not null,
      patient_account text,
      date_of_birth date,
      payer_id bigint not null references payers(id),
      date_of_service date not null,
      billed_cents bigint,
      balance_cents bigint not null,
      aging_bucket text,
      first_seen_import uuid not null references imports(id),
      last_seen_import uuid not null references imports(id),
      resolved_at timestamptz,
      resolved_by_import uuid references imports(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (practice_id, location_id, claim_key)
    );
    create index claims_open_by_location on claims (location_id, last_seen_import) where resolved_at is null;

    -- Accepted rows of an import between parsing and commit. Unlogged: it is rebuilt from the stored
    -- file if Postgres crashes, so WAL for it would be pure cost.
    create unlogged table staged_claims (
      import_id uuid not null,
      row_no integer not null,
      claim_key text not null,
      claim_number text,
      patient_name text not null,
      patient_account text,
      date_of_birth date,
      payer_name text not null,
      payer_key text not null,
      date_of_service date not null,
      billed_cents bigint,
      balance_cents bigint not null,
      aging_bucket text,
      primary key (import_id, row_no)
    );
    create index staged_claims_key on staged_claims (import_id, claim_key);

    -- Before-images of claims an import changed or resolved, written in the same statement as the
    -- change: revert and cancel restore them exactly.
    create table claim_versions (
      import_id uuid not null references imports(id) on delete cascade,
      claim_id bigint not null references claims(id) on delete cascade,
      claim_number text,
      patient_name text not null,
      patient_account text,
      date_of_birth date,
      payer_id bigint not null,
      date_of_service date not null,
      billed_cents bigint,
      balance_cents bigint not null,
      aging_bucket text,
      last_seen_import uuid not null,
      resolved_at timestamptz,
      resolved_by_import uuid,
      updated_at timestamptz not null,
      primary key (import_id, claim_id)
    );

    create table notifications (
      id bigint generated always as identity primary key,
      user_id uuid not null references users(id),
      kind text not null,
      message text not null,
      link text,
      read boolean not null default false,
      created_at timestamptz not null default now()
    );
    create index notifications_user on notifications (user_id, created_at desc);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table notifications, claim_versions, staged_claims, claims, payers, import_row_errors, imports, api_tokens, users, locations, practices`.execute(
    db,
  );
}
