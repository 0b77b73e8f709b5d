import { Router } from 'express';
import { z } from 'zod';
import { ValidationError, isUuid } from '@ledgerport/core';
import { listAuditEntries, type Db } from '@ledgerport/db';
import type { AuditLog } from '../audit.js';
import { requireAdmin } from '../auth.js';
import { parsePaging } from '../paging.js';

const DAY_MS = 24 * 3600_000;

// A day (the whole of it) or an instant with its offset; "to" is exclusive for an instant.
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const filters = z.object({
  action: z
    .string()
    .regex(/^[a-z_.]+(,[a-z_.]+)*$/)
    .optional(),
  userId: z.string().refine(isUuid).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

/** The practice's audit log for its admins, newest first: `?page=&action=&userId=&from=&to=`. */
export function auditRoutes(deps: { db: Db; audit: AuditLog }): Router {
  const r = Router();
  r.get('/audit', deps.audit.route('audit.read', 'audit_log', null), async (req, res) => {
    const admin = requireAdmin(req);
    const paging = parsePaging(req.query);
    const f = filters.safeParse(req.query);
    if (!f.success)
      throw new ValidationError(
        'bad_filter',
        'Filter by action (e.g. import.upload or a list separated by commas), userId (a user id), from and to (a date such as 2026-12-01, or a time with its offset).',
      );
    const from = f.data.from ? new Date(f.data.from) : undefined;
    // "to=2026-12-01" means to the end of that day.
    const to = f.data.to ? new Date(new Date(f.data.to).getTime() + (f.data.to.length === 10 ? DAY_MS : 0)) : undefined;
    const { items, total } = await listAuditEntries(deps.db, admin.practiceId, {
      limit: paging.limit,
      offset: paging.offset,
      actions: f.data.action?.split(','),
      userId: f.data.userId,
      from,
      to,
    });
    res.json({ items, total, page: paging.page, pageSize: paging.pageSize });
  });
  return r;
}
