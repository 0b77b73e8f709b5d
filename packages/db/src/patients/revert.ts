import type pg from 'pg';
import { ConflictError } from '@ledgerport/core';
import { withTransaction } from '../transaction.js';
import { lockImport } from '../imports/lock-import.js';
import { revertImport } from '../imports/transitions.js';
import { lockPracticeBalances } from './commit.js';
import { undoBalancesImport, undoCreditsImport, undoPatientsImport } from './undo.js';

const NOUN: Record<string, string> = { patients: 'patients', patient_balances: 'balances', patient_credits: 'credits' };

/**
 * Reverts the latest completed import of a patient kind in one transaction: exactly what it applied
 * is undone (see undo.ts), or nothing is and the reason is given.
 */
export async function revertPatientImport(
  pool: pg.Pool,
  imp: { id: string; practiceId: string; kind: string; finishedAt: Date | null },
  userId: string,
): Promise<void> {
  await withTransaction(pool, async (client) => {
    if (imp.kind === 'patient_balances') await lockPracticeBalances(client, imp.practiceId);
    const s = await lockImport(client, imp.id);
    if (s.status !== 'completed')
      throw new ConflictError('not_revertible', `Only a completed import can be reverted; this one is ${s.status}.`);
    const later = await client.query<{ original_name: string }>(
      `select original_name from imports where practice_id = $1 and kind = $2 and status = 'completed' and id <> $3 and finished_at > $4
       order by finished_at desc limit 1`,
      [imp.practiceId, imp.kind, imp.id, imp.finishedAt],
    );
    if (later.rows[0])
      throw new ConflictError(
        'not_latest',
        `Only the latest ${NOUN[imp.kind] ?? imp.kind} import can be reverted. Revert ${later.rows[0].original_name} first, then this one.`,
      );
    if (imp.kind === 'patients') await undoPatientsImport(client, imp.id);
    else if (imp.kind === 'patient_balances') await undoBalancesImport(client, imp.id);
    else if (imp.kind === 'patient_credits') await undoCreditsImport(client, imp.id);
    else throw new ConflictError('not_revertible', 'This kind of import cannot be reverted here.');
    if (!(await revertImport(client, imp.id, userId)))
      throw new ConflictError('not_revertible', 'This import changed while you were looking; reload it.');
  });
}
