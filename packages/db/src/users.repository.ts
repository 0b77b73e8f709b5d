import type { Db } from './connection.js';
import type { Role } from './schema.js';

export interface PracticeUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: Date;
}

const USER_COLUMNS = ['id', 'name', 'email', 'role', 'active', 'created_at as createdAt'] as const;

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
    return { ok: true, user: updated };
  });
}
