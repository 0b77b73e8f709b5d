import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './connection.js';
import { hashToken } from './seed.js';

/**
 * Sessions of people (the page) and of operators (the queue dashboard) are kept alike: a random id
 * whose hash is stored, ended after an idle time and at most a lifetime. The two live in tables of
 * their own (an operator is never a user), and this is the one place their rows are made and ended.
 */

/** How long a session lives: since it was last used, and at most since it began. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

/** The session tables, each with the column naming whose session it is. */
export type SessionStore =
  { table: 'user_sessions'; owner: 'user_id' } | { table: 'operator_sessions'; owner: 'operator_id' };
export const USER_SESSIONS: SessionStore = { table: 'user_sessions', owner: 'user_id' };
export const OPERATOR_SESSIONS: SessionStore = { table: 'operator_sessions', owner: 'operator_id' };

export const interval = (ms: number): RawBuilder<string> => sql<string>`make_interval(secs => ${ms / 1000})`;

/**
 * Starts a session and returns its id, the one time it exists outside the browser's cookie. Sessions
 * past their time are removed here, so the table holds only the open ones.
 */
export async function openSession(
  db: Db,
  store: SessionStore,
  ownerId: string,
  policy: SessionPolicy,
): Promise<{ sessionId: string; expiresAt: Date }> {
  const table = sql.table(store.table);
  await sql`delete from ${table}
    where last_seen_at <= now() - ${interval(policy.idleMs)} or created_at <= now() - ${interval(policy.maxMs)}`.execute(
    db,
  );
  const sessionId = randomBytes(32).toString('base64url');
  const { rows } = await sql<{ expiresAt: Date }>`insert into ${table} (id_hash, ${sql.ref(store.owner)})
    values (${hashToken(sessionId)}, ${ownerId})
    returning created_at + ${interval(policy.maxMs)} as "expiresAt"`.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`no session was made in ${store.table}`);
  return { sessionId, expiresAt: row.expiresAt };
}

/** Signing out: the session is gone, whatever state it was in. */
export async function closeSession(db: Db, store: SessionStore, sessionId: string): Promise<void> {
  await sql`delete from ${sql.table(store.table)} where id_hash = ${hashToken(sessionId)}`.execute(db);
}
