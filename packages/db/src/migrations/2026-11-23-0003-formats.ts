// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A practice's own mapping for an aging layout no profile knows, found again by its header.
    create table column_mappings (
      id uuid primary key default gen_random_uuid(),
      practice_id uuid not null references practices(id),
      name text not null,
      header_key text not null,
      header jsonb not null,
      columns jsonb not null,
      profile_id text not null default 'generic',
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      unique (practice_id, header_key)
    );
    alter table imports add column reverted_by uuid references users(id);
    alter table imports add column reverted_at timestamptz;
    alter table imports add column first_rows jsonb;
    create index imports_location_completed on imports (location_id, finished_at desc) where kind = 'aging' and status = 'completed';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index imports_location_completed;
    alter table imports drop column first_rows, drop column reverted_at, drop column reverted_by;
    drop table column_mappings;
  `.execute(db);
}
