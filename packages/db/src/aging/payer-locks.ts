import type { Tx } from '../transaction.js';

/**
 * Claims have no foreign key to payers (migration 2026-12-02-0701). A payer merge (mergePayers) moves
 * the claims and before-images it can see to the other payer and deletes the merged one; a claim
 * write running beside it, which it cannot see, would then commit claims or before-images naming a
 * payer that no longer exists: a chunk's new claims, the before-image of a claim it moves off the
 * merged payer (read before the merge committed), or an undo giving claims back that payer. Each is a
 * claim missing from every by-payer total, at once or at the next revert.
 *
 * So a practice's payer merges and its claim writes take turns: every transaction that writes claims'
 * payers or their before-images (a chunk's merge, an undo) holds this lock shared, a payer merge holds
 * it alone, both until their transaction ends, taken before they read a payer or a claim. Writers never
 * wait for each other; a merge (a rare administrator's action) waits for the chunks in flight and they
 * wait for it, and each then sees the other's work whole (READ COMMITTED: every statement after the
 * wait sees what the other committed). One lock call per chunk, where the key's check was one lookup
 * per row. The key is written here only.
 */
const payersKey = (practiceId: string) => `ledgerport:payers:${practiceId}`;

/** Held by a transaction that writes claims' payers or their before-images: see above. */
export async function sharePracticePayers(tx: Tx, practiceId: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock_shared(hashtext($1))', [payersKey(practiceId)]);
}

/** Held by a payer merge: no claim of the practice is being written meanwhile. See above. */
export async function lockPracticePayers(tx: Tx, practiceId: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [payersKey(practiceId)]);
}
