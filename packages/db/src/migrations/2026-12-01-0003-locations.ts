// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The PM system a location exports from (the default layout of its uploads), and when it was archived:
    -- an archived location takes no uploads but keeps its claims and history.
    alter table locations add column pm_system text;
    alter table locations add column archived_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table locations drop column archived_at, drop column pm_system;`.execute(db);
}
