// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

/**
 * Claim keys are compared byte for byte (collation "C"), whatever the database's own collation. A claim
 * key is a machine key: a claim number, or a hash of who, which payer, when and how much. It is only
 * ever matched and sliced by range, never sorted for a person. Under the database's collation each
 * comparison went through the locale's rules: probing 1,000,000 claims by key took 2.9–3.2 s with
 * C.UTF-8 (this machine's), 5.1–5.7 s with en-US (ICU), and 2.2–2.3 s byte for byte
 * (docs/performance.md). An import probes the claims' key once per row, stages each row into the
 * staging partition's unique key, and its close reads both in key order.
 *
 * All three columns change together: the close and the merge join them, and a range condition can use
 * an index only in the index's own collation. Only the indexes on them are rebuilt (about 0.9 s per
 * 1,000,000 claims); the rows are not rewritten. The staging partitions of imports in flight follow
 * their parent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await collateClaimKeys(db, 'C');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await collateClaimKeys(db, 'default');
}

async function collateClaimKeys(db: Kysely<unknown>, collation: 'C' | 'default'): Promise<void> {
  for (const table of ['claims', 'staged_claims', 'import_kept_claims'])
    await sql`alter table ${sql.table(table)} alter column claim_key type text collate ${sql.id(collation)}`.execute(db);
}
