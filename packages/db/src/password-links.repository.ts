import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './connection.js';
import type { PasswordLinkPurpose } from './schema.js';
import { hashToken } from './seed.js';

/**
 * A new invitation or reset link's secret, returned this once (only its hash is kept). The user's
 * earlier links stop working: the newest link an admin passed on is the only one that does.
 */
export async function createPasswordLink(
  db: Db,
  l: { userId: string; purpose: PasswordLinkPurpose; createdBy: string | null; ttlMs: number },
): Promise<{ token: string; expiresAt: Date }> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('password_links')
      .set({ used_at: sql<Date>`now()` })
      .where('user_id', '=', l.userId)
      .where('used_at', 'is', null)
      .execute();
    const token = randomBytes(32).toString('base64url');
    const row = await trx
      .insertInto('password_links')
      .values({
        id_hash: hashToken(token),
        user_id: l.userId,
        purpose: l.purpose,
        created_by: l.createdBy,
        expires_at: sql<Date>`now() + make_interval(secs => ${l.ttlMs / 1000})`,
      })
      .returning('expires_at as expiresAt')
      .executeTakeFirstOrThrow();
    return { token, expiresAt: row.expiresAt };
  });
}

export interface PasswordLinkView {
  purpose: PasswordLinkPurpose;
  userId: string;
  email: string;
  name: string;
  practiceName: string;
}

/** The link's user while the link can still be used (not used, not expired, user active); else null. */
export async function findPasswordLink(db: Db, token: string): Promise<PasswordLinkView | null> {
  const row = await db
    .selectFrom('password_links as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .innerJoin('practices as p', 'p.id', 'u.practice_id')
    .where('l.id_hash', '=', hashToken(token))
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', sql<Date>`now()`)
    .where('u.active', '=', true)
    .select(['l.purpose', 'u.id as userId', 'u.email', 'u.name', 'p.name as practiceName'])
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Sets the password through a link, once: the link is used up, and every session the user had ends
 * (whoever knew the old password is signed out). Null when the link cannot be used.
 */
export async function usePasswordLink(
  db: Db,
  token: string,
  passwordHash: string,
): Promise<{ userId: string; purpose: PasswordLinkPurpose } | null> {
  return db.transaction().execute(async (trx) => {
    const link = await trx
      .updateTable('password_links as l')
      .from('users as u')
      .set({ used_at: sql<Date>`now()` })
      .whereRef('u.id', '=', 'l.user_id')
      .where('l.id_hash', '=', hashToken(token))
      .where('l.used_at', 'is', null)
      .where('l.expires_at', '>', sql<Date>`now()`)
      .where('u.active', '=', true)
      .returning(['l.user_id as userId', 'l.purpose'])
      .executeTakeFirst();
    if (!link) return null;
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_set_at: sql<Date>`now()` })
      .where('id', '=', link.userId)
      .execute();
    await trx.deleteFrom('user_sessions').where('user_id', '=', link.userId).execute();
    return link;
  });
}

/** A deactivated user's links stop working (a reactivation needs a new one). */
export async function voidPasswordLinks(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('password_links')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}
