// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

/**
 * The last two foreign keys a claim row paid for on every write: to its location and to its payer.
 * Each is a trigger that looks the key up once per inserted row; on 1,000,000 claims inserted in one
 * statement they took 11.5 s against 4.5 s without (docs/performance.md). The application keeps both:
 * - a location is never deleted (archived at most), and an import's location is checked to be the
 *   practice's own when the file is uploaded;
 * - a payer is deleted only by a merge (mergePayers), which moves its claims and before-images in the
 *   same transaction; it holds the practice's payer lock alone, and every chunk merge and undo holds
 *   it shared, so a merge and the claim writes beside it take turns (aging/payer-locks.ts).
 * The patient key stays: patients are deleted by a revert of a patients import.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table claims drop constraint claims_location_id_fkey, drop constraint claims_payer_id_fkey`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table claims
      add constraint claims_location_id_fkey foreign key (location_id) references locations(id),
      add constraint claims_payer_id_fkey foreign key (payer_id) references payers(id)
  `.execute(db);
}
