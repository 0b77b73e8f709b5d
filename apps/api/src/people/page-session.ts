import express, { type CookieOptions, type Request, type RequestHandler } from 'express';
import { AppError, UnauthorizedError } from '@ledgerport/core';
import { useUserSession, type Db, type Principal, type SessionPolicy } from '@ledgerport/db';
import { readCookie } from '../operators/operator-session.js';
import { clientError } from '../request-errors.js';

export const PAGE_SESSION_COOKIE = 'lp_session';

/** How people's page sessions behave (from the API's configuration). */
export interface PeoplePolicy {
  session: SessionPolicy;
  /** Secure on every request, not only on those that came over TLS (SESSION_COOKIE_SECURE) */
  secureCookie: boolean;
  /** the page's public address, for links; unset: the address of the admin's request */
  publicUrl?: string;
  invitationTtlMs: number;
  resetTtlMs: number;
}

export const DEFAULT_PEOPLE_POLICY: PeoplePolicy = {
  session: { idleMs: 30 * 60_000, maxMs: 12 * 3600_000 },
  secureCookie: false,
  invitationTtlMs: 7 * 24 * 3600_000,
  resetTtlMs: 24 * 3600_000,
};

export function pageCookieOptions(req: Request, policy: PeoplePolicy): CookieOptions {
  // Path / : the page and the API share the origin. SameSite=Strict: no other site's page, link or
  // form sends it. HttpOnly: the page's scripts never see it.
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: policy.secureCookie || req.secure };
}

export class SessionEndedError extends AppError {
  constructor() {
    super(
      'session_ended',
      'Your sign-in has ended: you signed out, were away too long, or your access was changed. Sign in again.',
      401,
    );
  }
}

export class CrossSiteRequestError extends AppError {
  constructor() {
    super(
      'cross_site_request',
      'This request did not come from the Ledgerport page, so nothing was changed. Reload the page and try again.',
      403,
    );
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A cookie rides along with any request the browser makes, so a change sent with one must show that
 * the page itself sent it. SameSite=Strict already keeps the cookie off other sites' requests; this
 * is the second lock for browsers or paths where that falls short (a same-site subdomain, an old
 * browser): the Origin header, which scripts cannot set, must be this API's own. Requests that carry
 * a bearer token are not checked: a browser never adds one by itself.
 */
export function checkSameOrigin(req: Request, publicUrl?: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.get('origin');
  if (!origin || origin === 'null') {
    // No Origin at all: only a same-origin fetch from an older browser sends none; Sec-Fetch-Site says which.
    if (req.get('sec-fetch-site') === 'same-origin') return;
    throw new CrossSiteRequestError();
  }
  const own = [`${req.protocol}://${req.get('host') ?? ''}`];
  if (publicUrl) own.push(new URL(publicUrl).origin);
  if (!own.includes(origin)) throw new CrossSiteRequestError();
}

/** The principal of the request's page session, or null when it came with no session cookie. */
export async function sessionPrincipal(
  db: Db,
  policy: PeoplePolicy,
  req: Request,
): Promise<{ principal: Principal; sessionId: string } | null> {
  const sessionId = readCookie(req, PAGE_SESSION_COOKIE);
  if (!sessionId) return null;
  const principal = await useUserSession(db, sessionId, policy.session);
  if (!principal) throw new SessionEndedError();
  return { principal, sessionId };
}

/** A small JSON body for the routes that come before sign-in (an email and a password fit in 4 KB). */
export function smallJsonBody(): RequestHandler {
  const parse = express.json({ limit: '4kb' });
  return (req, res, next) => parse(req, res, (err?: unknown) => next(err ? clientError(err) : undefined));
}

export function unauthorizedWithoutCredentials(): UnauthorizedError {
  return new UnauthorizedError(
    'Sign in first: on the page with your email and password, or from a script with an API token (Authorization: Bearer …).',
  );
}
