import { sql } from 'kysely';
import type { Db } from './connection.js';
import { hashToken, newToken } from './seed.js';
import { OPERATOR_SESSIONS, closeSession, interval, openSession, type SessionPolicy } from './sessions.js';

/** Someone who runs the service: no practice, no role, never a row of users. */
export interface Operator {
  id: string;
  name: string;
}

/** A new operator and its first token (returned once; only its hash is kept). Null when the name is taken. */
export async function createOperator(
  db: Db,
  name: string,
  label = '',
): Promise<{ operator: Operator; token: string } | null> {
  return db.transaction().execute(async (trx) => {
    const operator = await trx
      .insertInto('operators')
      .values({ name })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!operator) return null;
    const token = newToken('operator');
    await trx
      .insertInto('operator_tokens')
      .values({ operator_id: operator.id, token_hash: hashToken(token), label })
      .execute();
    return { operator, token };
  });
}

/** The active operator behind a token hash; null for an unknown token, a practice's token or a deactivated operator. */
export async function findOperatorByTokenHash(db: Db, tokenHash: string): Promise<Operator | null> {
  const row = await db
    .selectFrom('operator_tokens as t')
    .innerJoin('operators as o', 'o.id', 't.operator_id')
    .where('t.token_hash', '=', tokenHash)
    .where('o.active', '=', true)
    .select(['o.id', 'o.name'])
    .executeTakeFirst();
  return row ?? null;
}

/** Starts a dashboard session (see openSession). */
export async function startOperatorSession(
  db: Db,
  operatorId: string,
  policy: SessionPolicy,
): Promise<{ sessionId: string; expiresAt: Date }> {
  return openSession(db, OPERATOR_SESSIONS, operatorId, policy);
}

/**
 * The operator of a session still within its idle time and lifetime, whose operator is still active;
 * the session counts as used now. Null for anything else (unknown, expired, ended).
 */
export async function useOperatorSession(db: Db, sessionId: string, policy: SessionPolicy): Promise<Operator | null> {
  const row = await db
    .updateTable('operator_sessions as s')
    .from('operators as o')
    .set({ last_seen_at: sql<Date>`now()` })
    .whereRef('o.id', '=', 's.operator_id')
    .where('s.id_hash', '=', hashToken(sessionId))
    .where('o.active', '=', true)
    .where('s.last_seen_at', '>', sql<Date>`now() - ${interval(policy.idleMs)}`)
    .where('s.created_at', '>', sql<Date>`now() - ${interval(policy.maxMs)}`)
    .returning(['o.id', 'o.name'])
    .executeTakeFirst();
  return row ?? null;
}

/** Signing out: the session is gone, whatever state it was in. */
export async function endOperatorSession(db: Db, sessionId: string): Promise<void> {
  await closeSession(db, OPERATOR_SESSIONS, sessionId);
}
