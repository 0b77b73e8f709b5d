import { Router } from 'express';
import { NotFoundError, parseIntegerId } from '@ledgerport/core';
import { listNotifications, markAllNotificationsRead, markNotificationRead, type Db } from '@ledgerport/db';
import type { AuditLog } from '../audit.js';
import { principalOf } from '../auth.js';
import { parsePaging } from '../paging.js';
import type { Me, NotificationsPage } from '@ledgerport/api-client';

/** Who am I, where can I upload, what happened while I was away. */
export function accountRoutes(db: Db, audit: AuditLog): Router {
  const r = Router();
  r.get('/me', (req, res) => {
    const p = principalOf(req);
    res.json({
      user: { id: p.userId, name: p.userName, email: p.email, role: p.role },
      role: p.role,
      practice: { id: p.practiceId, name: p.practiceName },
    } satisfies Me);
  });
  r.get('/notifications', async (req, res) => {
    const p = principalOf(req);
    const paging = parsePaging(req.query);
    const { items, unread } = await listNotifications(db, p.userId, {
      limit: paging.limit,
      offset: paging.offset,
      unreadOnly: req.query.unread === '1',
    });
    res.json({
      items: items.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
      unread,
      page: paging.page,
      pageSize: paging.pageSize,
    } satisfies NotificationsPage);
  });
  r.post('/notifications/read-all', audit.route('notifications.read_all', 'notification', null), async (req, res) => {
    const p = principalOf(req);
    res.json({ marked: await markAllNotificationsRead(db, p.userId) } satisfies { marked: number });
  });
  r.post('/notifications/:id/read', audit.route('notification.read', 'notification'), async (req, res) => {
    const p = principalOf(req);
    const id = parseIntegerId(req.params.id);
    if (id === null) throw new NotFoundError('There is no such notification.');
    if (!(await markNotificationRead(db, p.userId, id))) throw new NotFoundError('There is no such notification.');
    res.json({ id, read: true } satisfies { id: number; read: true });
  });
  return r;
}
