// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

/**
 * People sign in to the page with an email and a password (argon2id; null until the user has set
 * one through an invitation). A sign-in is a session: a random id the browser keeps in a cookie, only
 * its hash stored, ended after an idle time and an absolute lifetime against the database's clock.
 * Invitation and reset links are the same kind of secret: one use, an expiry, only the hash stored.
 * Emails are matched without regard to case (a unique index on lower(email)).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column password_hash text;
    alter table users add column password_set_at timestamptz;
    alter table users add column last_sign_in_at timestamptz;
    create unique index users_email_lower on users (lower(email));
    create table user_sessions (
      id_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now()
    );
    create index user_sessions_user on user_sessions (user_id);
    create table password_links (
      id_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      purpose text not null check (purpose in ('invite', 'reset')),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index password_links_user on password_links (user_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table password_links;
    drop table user_sessions;
    drop index users_email_lower;
    alter table users drop column last_sign_in_at;
    alter table users drop column password_set_at;
    alter table users drop column password_hash;
  `.execute(db);
}
