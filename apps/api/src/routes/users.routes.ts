import { Router } from 'express';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError, isUuid } from '@ledgerport/core';
import { changePracticeUser, listPracticeUsers } from '@ledgerport/db';
import { noteAudit } from '../audit.js';
import { requireAdmin } from '../auth.js';
import { announce, type TokenRoutesDeps } from './tokens.routes.js';

const changeBody = z
  .object({ role: z.enum(['staff', 'admin']).optional(), active: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.active !== undefined);

/**
 * The practice's users, for its admins: list them, change a role, deactivate or reactivate. A change
 * takes effect on every API process at the user's next request (AuthEpoch).
 */
export function userRoutes(deps: Omit<TokenRoutesDeps, 'policy' | 'now'>): Router {
  const r = Router();

  r.get('/users', deps.audit.route('users.list', 'user', null), async (req, res) => {
    const admin = requireAdmin(req);
    res.json({ items: await listPracticeUsers(deps.db, admin.practiceId) });
  });

  r.patch('/users/:id', deps.audit.route('user.update', 'user'), async (req, res) => {
    const admin = requireAdmin(req);
    if (!isUuid(req.params.id)) throw new NotFoundError('There is no such user in your practice.');
    const body = changeBody.safeParse(req.body ?? {});
    if (!body.success)
      throw new ValidationError('bad_request', 'Send role ("staff" or "admin") and/or active (true or false).');
    const result = await changePracticeUser(deps.db, admin.practiceId, req.params.id, body.data);
    if (!result.ok) {
      if (result.reason === 'not_found') throw new NotFoundError('There is no such user in your practice.');
      throw new ConflictError(
        'last_admin',
        'The practice needs at least one active administrator: make someone else an administrator first.',
      );
    }
    noteAudit(req, { detail: { ...body.data } });
    await announce(deps, 'user changed');
    res.json(result.user);
  });

  return r;
}
