// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

/**
 * Token lifecycle, the audit log and money limits (issue 12).
 *
 * API tokens expire and are revoked rather than deleted, so a revoked token still names its label
 * and owner in the audit log. Tokens issued before this migration get 90 days from now, not from
 * when they were made, so nobody is signed out by the upgrade itself; a new token's expiry is set
 * by the API (API_TOKEN_TTL_DAYS), the column default only covers the seed and scripts.
 *
 * The audit log is append-only and carries ids, never cell values or names; no foreign keys, so
 * nothing done to a user, token or import later can remove or block its history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table api_tokens add column expires_at timestamptz;
    update api_tokens set expires_at = now() + interval '90 days';
    alter table api_tokens alter column expires_at set not null,
      alter column expires_at set default now() + interval '90 days';
    alter table api_tokens add column revoked_at timestamptz,
      add column revoked_by uuid references users(id),
      add column created_by uuid references users(id);
    create index api_tokens_user on api_tokens (user_id);

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      practice_id uuid not null,
      user_id uuid not null,
      token_id uuid,
      action text not null,
      resource_type text not null,
      resource_id text,
      status smallint not null,
      ip text,
      detail jsonb
    );
    create index audit_log_practice_at on audit_log (practice_id, at desc, id desc);

    -- Manual credits, refunds and payments: none above the maximum; above the threshold, only an admin.
    alter table practices add column max_manual_amount_cents bigint not null default 1000000
      check (max_manual_amount_cents > 0);
    alter table practices add column approval_threshold_cents bigint not null default 50000
      check (approval_threshold_cents >= 0);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table practices drop column approval_threshold_cents, drop column max_manual_amount_cents;
    drop table audit_log;
    drop index api_tokens_user;
    alter table api_tokens drop column created_by, drop column revoked_by, drop column revoked_at, drop column expires_at;
  `.execute(db);
}
