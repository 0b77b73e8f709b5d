import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError, ForbiddenError, UnauthorizedError } from '@ledgerport/core';
import type { Db, SessionPolicy } from '@ledgerport/db';
import { jsonBody } from '../request-errors.js';
import { refusedPage } from './admin-pages.js';
import { PRACTICE_TOKEN_REFUSED, SESSION_PATH, readCookie, sessionOperator, wantsPage } from './operator-session.js';

export const DASHBOARD_PATH = '/admin/queues';
// Before operator sessions the page put a practice's raw API token in this cookie; it is wiped on sight.
const LEGACY_COOKIE = 'lp_dashboard';

export class DashboardReadOnlyError extends AppError {
  constructor() {
    super(
      'dashboard_read_only',
      'The queue dashboard is read-only: it shows queues and jobs but changes none. A practice’s admin retries and cancels its imports on the Ledgerport page; to let operators change jobs here, start the API with QUEUE_DASHBOARD_WRITABLE=true.',
      403,
    );
  }
}

export interface QueueDashboardOptions {
  /** Whether the dashboard may retry, clean, pause, … (QUEUE_DASHBOARD_WRITABLE); read-only when false. */
  writable: boolean;
  session: SessionPolicy;
}

/**
 * The BullMQ dashboard, for operators only: it shows every practice's jobs. It opens with an
 * operator session (POST /admin/session) and nothing else — no practice's token, no token in a
 * header or the address. Read-only unless configured otherwise, checked here on the server and not
 * only by bull-board hiding its buttons.
 */
export function queueDashboard(db: Db, queues: Queue[], options: QueueDashboardOptions): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map(
      (q) => new BullMQAdapter(q, { readOnlyMode: !options.writable, allowRetries: options.writable }),
    ),
    serverAdapter: adapter,
    options: {
      uiConfig: {
        boardTitle: 'Ledgerport queues',
        hideDocsLink: true,
        miscLinks: [{ text: 'Operator session (sign out)', url: SESSION_PATH }],
      },
    },
  });

  const operatorOnly = async (req: Request, res: Response, next: NextFunction) => {
    if (readCookie(req, LEGACY_COOKIE) !== null)
      res.clearCookie(LEGACY_COOKIE, { path: DASHBOARD_PATH, httpOnly: true, sameSite: 'strict' });
    if (await sessionOperator(db, options.session, req)) return next();
    const page = wantsPage(req) && !req.path.toLowerCase().startsWith('/api/');
    // A token offered in a header or the address is never looked at: the old links carried a
    // practice admin's token that way, and whoever offers one is refused outright.
    if (bearerOrQueryToken(req)) {
      const message = `${PRACTICE_TOKEN_REFUSED} (Operators sign in at /admin/session; the dashboard takes no token in a header or the address.)`;
      if (page) return refusedPage(res, message);
      throw new ForbiddenError(message);
    }
    if (page) return res.redirect(303, SESSION_PATH);
    throw new UnauthorizedError(
      'The queue dashboard needs an operator session: sign in at /admin/session, or sign in again if yours has ended.',
    );
  };
  const readOnly = (req: Request, _res: Response, next: NextFunction) => {
    if (!options.writable && req.method !== 'GET' && req.method !== 'HEAD') throw new DashboardReadOnlyError();
    next();
  };

  const r = Router();
  // One mount for the check and the board, so no path reaches the board without passing the check.
  // Bodies are read here, after the operator check and with the API's own parser: bull-board's would
  // answer a malformed one with its own shape ("ERRORS.INTERNAL_SERVER_ERROR") instead of {error}.
  r.use(DASHBOARD_PATH, operatorOnly, readOnly, jsonBody(), adapter.getRouter() as Router);
  return r;
}

function bearerOrQueryToken(req: Request): boolean {
  return req.get('authorization') !== undefined || req.query.token !== undefined;
}
