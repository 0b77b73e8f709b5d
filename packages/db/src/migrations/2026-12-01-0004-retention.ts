// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- How long a practice keeps an uploaded file, and the rejected rows and cell values read from it,
    -- after its import ends (discarded files go at once).
    alter table practices add column retention_days integer not null default 30 check (retention_days between 1 and 3650);
    alter table imports add column file_deleted_at timestamptz;
    create index imports_retention on imports (finished_at)
      where file_deleted_at is null and status in ('completed', 'failed', 'cancelled', 'reverted');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index imports_retention;
    alter table imports drop column file_deleted_at;
    alter table practices drop column retention_days;
  `.execute(db);
}
