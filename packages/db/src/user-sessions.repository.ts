import { sql } from 'kysely';
import type { Principal } from './api-tokens.repository.js';
import type { Db } from './connection.js';
import { hashToken } from './seed.js';
import { USER_SESSIONS, closeSession, interval, openSession, type SessionPolicy } from './sessions.js';

/** Who an email belongs to, for a sign-in: the stored hash is compared by the caller. */
export async function findUserForSignIn(
  db: Db,
  email: string,
): Promise<{ id: string; practiceId: string; active: boolean; passwordHash: string | null } | null> {
  const row = await db
    .selectFrom('users')
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .select(['id', 'practice_id as practiceId', 'active', 'password_hash as passwordHash'])
    .executeTakeFirst();
  return row ?? null;
}

/** Starts a page session (see openSession) and notes the sign-in on the user. */
export async function startUserSession(
  db: Db,
  userId: string,
  policy: SessionPolicy,
): Promise<{ sessionId: string; expiresAt: Date }> {
  const session = await openSession(db, USER_SESSIONS, userId, policy);
  await db
    .updateTable('users')
    .set({ last_sign_in_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .execute();
  return session;
}

/**
 * The active user of a session still within its idle time and lifetime, read afresh on every request
 * (so a deactivation or a new role counts from the very next request); null for anything else.
 * last_seen_at is moved at most every 15 s: the page polls every second or two, and the idle time is
 * counted in minutes.
 */
export async function useUserSession(db: Db, sessionId: string, policy: SessionPolicy): Promise<Principal | null> {
  const idHash = hashToken(sessionId);
  const { rows } = await sql<Omit<Principal, 'tokenId'>>`
    with live as (
      select u.id as "userId", u.name as "userName", u.email, u.role, p.id as "practiceId", p.name as "practiceName"
        from user_sessions s
        join users u on u.id = s.user_id
        join practices p on p.id = u.practice_id
       where s.id_hash = ${idHash}
         and u.active
         and s.last_seen_at > now() - ${interval(policy.idleMs)}
         and s.created_at > now() - ${interval(policy.maxMs)}
    ), touched as (
      update user_sessions set last_seen_at = now()
       where id_hash = ${idHash} and last_seen_at < now() - interval '15 seconds' and exists (select 1 from live)
    )
    select * from live`.execute(db);
  const row = rows[0];
  return row ? { ...row, tokenId: null } : null;
}

/** Signing out: the session is gone, whatever state it was in. */
export async function endUserSession(db: Db, sessionId: string): Promise<void> {
  await closeSession(db, USER_SESSIONS, sessionId);
}

/** Every session of a user ends (deactivated, or a new password set). */
export async function endUserSessions(db: Db, userId: string): Promise<number> {
  const res = await db.deleteFrom('user_sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}
