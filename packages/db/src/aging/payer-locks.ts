import type { Tx } from '../transaction.js';

/**
 * Holds, until the transaction ends, FOR KEY SHARE on every payer that `wantedSql` (a query of one
 * column of payer ids, over `params`) names. Claims have no foreign key to payers (migration
 * 2026-12-02-0701), so whatever writes a claim's payer_id takes the lock the key's check took: a payer
 * merge (mergePayers locks both payers FOR UPDATE) then waits for the writer and moves its claims too,
 * instead of moving the claims it can see, deleting the payer, and leaving the writer's claims pointing
 * at no payer.
 *
 * Under READ COMMITTED a payer merged away while we waited for it is skipped by the lock, and the
 * names and before-images now lead to the payer it was merged into, which only a fresh statement sees:
 * so look again until every payer that exists among those named is held.
 */
export async function holdPayers(client: Tx, wantedSql: string, params: unknown[]): Promise<void> {
  const held = new Set<string>();
  for (let round = 0; round < 20; round++) {
    const { rows: locked } = await client.query<{ id: string }>(
      `select p.id from payers p where p.id in (${wantedSql}) for key share of p`,
      params,
    );
    for (const r of locked) held.add(String(r.id));
    const { rows: wanted } = await client.query<{ id: string }>(
      `select distinct p.id from payers p where p.id in (${wantedSql})`,
      params,
    );
    if (wanted.every((r) => held.has(String(r.id)))) return;
  }
  throw new Error('the payers of a claim write kept being merged away; try again');
}
