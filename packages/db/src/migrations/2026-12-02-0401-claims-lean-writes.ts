// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

/**
 * Claims are written by the million; each foreign key is a lookup per written row and each indexed
 * column that changes makes an update write every index again (no HOT update). So:
 * - no foreign keys from claims to imports (first_seen, last_seen, resolved_by) nor to practices:
 *   imports are never deleted once they may have touched a claim (only one never queued is taken
 *   back), and a claim's practice is its location's, which keeps its key;
 * - the open-claims index of a location no longer holds last_seen_import: the snapshot's missing
 *   claims are found from what the file staged, and a claim whose figures changed is updated without
 *   touching any index when its page has room.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table claims
      drop constraint claims_first_seen_import_fkey,
      drop constraint claims_last_seen_import_fkey,
      drop constraint claims_resolved_by_import_fkey,
      drop constraint claims_practice_id_fkey;
    drop index claims_open_by_location;
    create index claims_open_by_location on claims (location_id) where resolved_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index claims_open_by_location;
    create index claims_open_by_location on claims (location_id, last_seen_import) where resolved_at is null;
    alter table claims
      add constraint claims_first_seen_import_fkey foreign key (first_seen_import) references imports(id),
      add constraint claims_last_seen_import_fkey foreign key (last_seen_import) references imports(id),
      add constraint claims_resolved_by_import_fkey foreign key (resolved_by_import) references imports(id),
      add constraint claims_practice_id_fkey foreign key (practice_id) references practices(id);
  `.execute(db);
}
