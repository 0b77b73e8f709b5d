import type { Db } from './connection.js';

export async function listNotifications(db: Db, userId: string, opts: { limit: number; offset: number; unreadOnly?: boolean }) {
  let q = db.selectFrom('notifications').where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read', '=', false);
  const items = await q
    .select(['id', 'kind', 'message', 'link', 'read', 'created_at as createdAt'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  const { unread } = await db
    .selectFrom('notifications')
    .where('user_id', '=', userId)
    .where('read', '=', false)
    .select((eb) => eb.fn.countAll<string>().as('unread'))
    .executeTakeFirstOrThrow();
  return { items, unread: Number(unread) };
}

export async function markNotificationRead(db: Db, userId: string, id: number): Promise<boolean> {
  const r = await db.updateTable('notifications').set({ read: true }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Every unread notification of the user read at once; how many that was. */
export async function markAllNotificationsRead(db: Db, userId: string): Promise<number> {
  const r = await db.updateTable('notifications').set({ read: true }).where('user_id', '=', userId).where('read', '=', false).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** One notification for every active user of the practice. */
export async function notifyPractice(db: Db, practiceId: string, n: { kind: string; message: string; link: string | null }) {
  await db
    .insertInto('notifications')
    .columns(['user_id', 'kind', 'message', 'link'])
    .expression((eb) =>
      eb
        .selectFrom('users')
        .where('practice_id', '=', practiceId)
        .where('active', '=', true)
        .select(['id', eb.val(n.kind).as('kind'), eb.val(n.message).as('message'), eb.val(n.link).as('link')]),
    )
    .execute();
}

export async function notifyUser(db: Db, userId: string, n: { kind: string; message: string; link: string | null }) {
  await db.insertInto('notifications').values({ user_id: userId, ...n }).execute();
}
