// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The practice's own "today" (report dates, Balance Forward dates of service, expiry), and how each
    -- kind of file is imported unless the upload says otherwise: {"aging": "commit", "patients": "preview"}.
    alter table practices add column time_zone text not null default 'UTC';
    alter table practices add column default_modes jsonb not null default '{}';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table practices drop column default_modes, drop column time_zone;`.execute(db);
}
