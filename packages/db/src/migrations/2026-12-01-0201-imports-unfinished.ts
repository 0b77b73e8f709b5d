// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The reconciler looks for queued and running imports nobody has touched lately, every half
    -- minute on every deployment: a partial index keeps that a lookup of a handful of rows however
    -- many finished imports pile up.
    create index imports_unfinished on imports (updated_at) where status in ('queued', 'running');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index imports_unfinished`.execute(db);
}
