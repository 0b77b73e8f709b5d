import { sql } from 'kysely';
import type { Db } from './connection.js';
import type { Role } from './schema.js';

export interface PracticeUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: Date;
  /** false while an invited user has not yet set a password */
  hasPassword: boolean;
  lastSignInAt: Date | null;
}

const USER_COLUMNS = [
  'id',
  'name',
  'email',
  'role',
  'active',
  'created_at as createdAt',
  sql<boolean>`password_hash is not null`.as('hasPassword'),
  'last_sign_in_at as lastSignInAt',
] as const;

export async function listPracticeUsers(db: Db, practiceId: string): Promise<PracticeUser[]> {
  return db
    .selectFrom('users')
    .where('practice_id', '=', practiceId)
    .select(USER_COLUMNS)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** A user of the practice; null for another practice's user or an unknown id. */
export async function findPracticeUser(db: Db, practiceId: string, userId: string): Promise<PracticeUser | null> {
  const row = await db
    .selectFrom('users')
    .where('practice_id', '=', practiceId)
    .where('id', '=', userId)
    .select(USER_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

export type UserChangeResult = { ok: true; user: PracticeUser } | { ok: false; reason: 'not_found' | 'last_admin' };

/**
 * Changes a user's role or active flag. A practice always keeps one active admin: the practice's
 * active admins are locked first, so two admins demoting each other at once cannot both succeed.
 */
export async function changePracticeUser(
  db: Db,
  practiceId: string,
  userId: string,
  change: { role?: Role; active?: boolean },
): Promise<UserChangeResult> {
  return db.transaction().execute(async (trx) => {
    const admins = await trx
      .selectFrom('users')
      .where('practice_id', '=', practiceId)
      .where('role', '=', 'admin')
      .where('active', '=', true)
      .select('id')
      .forUpdate()
      .execute();
    const user = await trx
      .selectFrom('users')
      .where('practice_id', '=', practiceId)
      .where('id', '=', userId)
      .select(USER_COLUMNS)
      .forUpdate()
      .executeTakeFirst();
    if (!user) return { ok: false, reason: 'not_found' };
    const role = change.role ?? user.role;
    const active = change.active ?? user.active;
    const wasAdmin = user.role === 'admin' && user.active;
    const staysAdmin = role === 'admin' && active;
    if (wasAdmin && !staysAdmin && admins.length <= 1) return { ok: false, reason: 'last_admin' };
    const updated = await trx
      .updateTable('users')
      .set({ role, active })
      .where('id', '=', userId)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    if (!active) {
      // Deactivated: signed out everywhere at once, and no invitation or reset link of theirs works.
      await trx.deleteFrom('user_sessions').where('user_id', '=', userId).execute();
      await trx
        .updateTable('password_links')
        .set({ used_at: sql<Date>`now()` })
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute();
    }
    return { ok: true, user: updated };
  });
}

export type NewUserResult = { ok: true; user: PracticeUser } | { ok: false; reason: 'email_taken' };

/** A new user of the practice, with no password until they follow their invitation link. */
export async function createPracticeUser(
  db: Db,
  practiceId: string,
  u: { email: string; name: string; role: Role },
): Promise<NewUserResult> {
  const email = u.email.trim();
  const taken = await db
    .selectFrom('users')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .select('id')
    .executeTakeFirst();
  if (taken) return { ok: false, reason: 'email_taken' };
  const user = await db
    .insertInto('users')
    .values({ practice_id: practiceId, email, name: u.name.trim(), role: u.role })
    // Two admins inviting the same email at once: the unique index decides, the loser is told it is taken.
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returning(USER_COLUMNS)
    .executeTakeFirst();
  return user ? { ok: true, user } : { ok: false, reason: 'email_taken' };
}
