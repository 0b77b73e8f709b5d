import express, { Router, type CookieOptions, type Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '@ledgerport/core';
import {
  endOperatorSession,
  findOperatorByTokenHash,
  findPrincipalByTokenHash,
  hashToken,
  startOperatorSession,
  useOperatorSession,
  type Db,
  type Operator,
  type SessionPolicy,
} from '@ledgerport/db';
import { signInPage, signedInPage } from './admin-pages.js';

export const SESSION_PATH = '/admin/session';
export const SESSION_COOKIE = 'lp_operator_session';
// Sent to the dashboard and to sign-in/sign-out, never to the practice API or the page.
const COOKIE_PATH = '/admin';

export const PRACTICE_TOKEN_REFUSED =
  'The queue dashboard is for the people who run Ledgerport, not for practice accounts. Your practice’s failed imports are under “Needs attention” on the Ledgerport page.';

export function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null; // a mangled cookie is no session, not a server error
    }
  }
  return null;
}

export function bearerToken(req: Request): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? null;
}

/** Whether the caller is a browser that wants a page rather than JSON. */
export function wantsPage(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

function cookieOptions(req: Request): CookieOptions {
  // Secure whenever the request reached us (or a proxy we trust) over TLS; plain http on a
  // developer's machine would otherwise never get the cookie back.
  return { httpOnly: true, sameSite: 'strict', path: COOKIE_PATH, secure: req.secure };
}

/** The operator of the request's live session, the session counted as used; null when there is none. */
export async function sessionOperator(db: Db, policy: SessionPolicy, req: Request): Promise<Operator | null> {
  const id = readCookie(req, SESSION_COOKIE);
  return id ? useOperatorSession(db, id, policy) : null;
}

/**
 * Sign-in and sign-out for operators. The token is sent once, in a header or the sign-in form's
 * body (never the address, which ends up in logs and history); what the browser keeps is a random
 * session id that ends after SessionPolicy's idle time or lifetime, or when the operator signs out.
 */
export function operatorSessionRoutes(db: Db, policy: SessionPolicy, dashboardPath: string): Router {
  const r = Router();
  r.get(SESSION_PATH, async (req, res) => {
    const operator = await sessionOperator(db, policy, req);
    if (wantsPage(req)) {
      if (operator) signedInPage(res, operator.name, dashboardPath);
      else signInPage(res);
      return;
    }
    if (!operator)
      throw new UnauthorizedError('No operator is signed in here. POST /admin/session with an operator token.');
    res.json({ operator: { name: operator.name } });
  });

  r.post(SESSION_PATH, express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const fromForm = Boolean(req.is('urlencoded'));
    const body: unknown = req.body;
    const formToken =
      fromForm && typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string'
        ? body.token.trim()
        : '';
    const token = bearerToken(req) ?? formToken;
    const refuse = (error: UnauthorizedError | ForbiddenError) => {
      if (!fromForm) throw error;
      signInPage(res, error.status, error.message);
    };
    if (!token)
      return refuse(new UnauthorizedError('Enter an operator token (`npm run operator -- create` makes one).'));
    const tokenHash = hashToken(token);
    const operator = await findOperatorByTokenHash(db, tokenHash);
    if (!operator) {
      if (await findPrincipalByTokenHash(db, tokenHash)) return refuse(new ForbiddenError(PRACTICE_TOKEN_REFUSED));
      return refuse(new UnauthorizedError('That is not an operator token, or its operator is no longer active.'));
    }
    const previous = readCookie(req, SESSION_COOKIE);
    if (previous) await endOperatorSession(db, previous);
    const { sessionId, expiresAt } = await startOperatorSession(db, operator.id, policy);
    res.cookie(SESSION_COOKIE, sessionId, { ...cookieOptions(req), maxAge: policy.maxMs });
    if (fromForm) return res.redirect(303, dashboardPath);
    res.json({ operator: { name: operator.name }, expiresAt, idleMinutes: Math.round(policy.idleMs / 60_000) });
  });

  r.post(`${SESSION_PATH}/sign-out`, async (req, res) => {
    const id = readCookie(req, SESSION_COOKIE);
    if (id) await endOperatorSession(db, id);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    if (wantsPage(req)) res.redirect(303, SESSION_PATH);
    else res.status(204).end();
  });
  return r;
}
