// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An aging import that has merged some of its chunks and is neither finalized nor undone: it owns
    -- its location's claims even between attempts, when it does not hold the location lock. Recorded
    -- by the transactions that merge and that finalize or undo, instead of guessed from updated_at
    -- (a retry's backoff can outlast any time window).
    alter table imports add column half_applied boolean not null default false;
    update imports set half_applied = true
      where kind = 'aging' and commit_checkpoint > 0 and status in ('queued', 'running');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table imports drop column half_applied`.execute(db);
}
