import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '@ledgerport/core';
import { findPrincipalByTokenHash, hashToken, type Db } from '@ledgerport/db';

export const DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'lp_dashboard';

function cookieToken(req: Request): string | null {
  const raw = req.headers.cookie ?? '';
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

/**
 * The BullMQ dashboard for admins. A browser cannot send a bearer header when it follows a link, so
 * the page links here with ?token=…; that token is checked, kept in an HttpOnly cookie scoped to this
 * path, and the address is reloaded without it.
 */
export function queueDashboard(db: Db, queues: Queue[]): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Ledgerport queues' } } });
  const r = Router();
  r.use(DASHBOARD_PATH, async (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? null;
    const token = fromQuery ?? bearer ?? cookieToken(req);
    if (!token) throw new UnauthorizedError('Open the queue dashboard from the Ledgerport page while signed in as an administrator.');
    const principal = await findPrincipalByTokenHash(db, hashToken(token));
    if (!principal) throw new UnauthorizedError('That API token is not valid, or its user is no longer active.');
    if (principal.role !== 'admin') throw new ForbiddenError('Only a practice administrator can open the queue dashboard.');
    if (fromQuery) {
      res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', path: DASHBOARD_PATH });
      res.redirect(303, DASHBOARD_PATH);
      return;
    }
    next();
  });
  r.use(DASHBOARD_PATH, adapter.getRouter() as Router);
  return r;
}
