// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

/**
 * Operators run the service (the queue dashboard) and belong to no practice, so they are not users:
 * a practice's token can never be mistaken for one. Their tokens are stored hashed like api_tokens.
 * A dashboard session is a random id the browser keeps in a cookie; only its hash is stored, so a
 * read of this table opens no dashboard. Sessions end after an idle time and an absolute lifetime,
 * both measured against the database's clock (one clock for every API process).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table operators (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create table operator_tokens (
      id uuid primary key default gen_random_uuid(),
      operator_id uuid not null references operators(id) on delete cascade,
      token_hash text not null unique,
      label text not null default '',
      created_at timestamptz not null default now()
    );
    create table operator_sessions (
      id_hash text primary key,
      operator_id uuid not null references operators(id) on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now()
    );
    create index operator_sessions_operator on operator_sessions (operator_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table operator_sessions;
    drop table operator_tokens;
    drop table operators;
  `.execute(db);
}
