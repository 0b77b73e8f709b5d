// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A payer merged into another: files that still name it (by its normalized name) get the other.
    create table payer_aliases (
      practice_id uuid not null references practices(id),
      normalized_name text not null,
      payer_id bigint not null references payers(id) on delete cascade,
      primary key (practice_id, normalized_name)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table payer_aliases;`.execute(db);
}
