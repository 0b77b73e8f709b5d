import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '@ledgerport/core';
import type { PasswordLinkInfo, SessionStarted } from '@ledgerport/api-client';
import {
  endUserSession,
  findPasswordLink,
  findUserForSignIn,
  hashPassword,
  startUserSession,
  useUserSession,
  usePasswordLink,
  verifyPassword,
  type Db,
} from '@ledgerport/db';
import type { AuditLog } from '../audit.js';
import { readCookie } from '../operators/operator-session.js';
import type { RateLimiter } from '../rate-limit.js';
import {
  checkSameOrigin,
  PAGE_SESSION_COOKIE,
  pageCookieOptions,
  smallJsonBody,
  type PeoplePolicy,
} from './page-session.js';

export const PASSWORD_MIN = 10;
const PASSWORD_MAX = 200;

const signInBody = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000) });
const passwordBody = z.object({ password: z.string() });

export class SignInFailedError extends AppError {
  constructor() {
    super(
      'sign_in_failed',
      'That email and password do not match. Check both and try again; if you have forgotten your password, ask your practice administrator for a reset link.',
      401,
    );
  }
}

export class LinkNotValidError extends NotFoundError {
  constructor() {
    super('This link has expired or was already used. Ask your practice administrator for a new one.', {
      code: 'link_not_valid',
    });
  }
}

/** Why a new password is refused, in words for the person choosing it; null when it will do. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN) return `Choose a password of at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Choose a password of at most ${PASSWORD_MAX} characters.`;
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return 'Choose a password that is not your email.';
  return null;
}

export interface SignInDeps {
  db: Db;
  audit: AuditLog;
  policy: PeoplePolicy;
  limiter?: RateLimiter;
}

/**
 * The page's sign-in, sign-out, and the invitation and reset links: the routes a person uses before
 * they have a session, so they come before authentication. A session is a random id in an HttpOnly,
 * SameSite=Strict cookie; only its hash is stored.
 */
export function signInRoutes(deps: SignInDeps): Router {
  const r = Router();
  const { db, audit, policy, limiter } = deps;

  const startSession = async (req: Request, res: Response, userId: string) => {
    const previous = readCookie(req, PAGE_SESSION_COOKIE);
    if (previous) await endUserSession(db, previous);
    const { sessionId, expiresAt } = await startUserSession(db, userId, policy.session);
    // No maxAge: a browser session cookie, gone when the browser closes; the server ends it anyway.
    res.cookie(PAGE_SESSION_COOKIE, sessionId, pageCookieOptions(req, policy));
    return {
      expiresAt: expiresAt.toISOString(),
      idleMinutes: Math.round(policy.session.idleMs / 60_000),
    } satisfies SessionStarted;
  };

  r.post('/session', smallJsonBody(), async (req, res) => {
    // Signing someone in from another site's form (login CSRF) is refused like any cross-site change;
    // a script (curl) sends no Origin and no cookie, and is let through.
    if (req.get('origin')) checkSameOrigin(req, policy.publicUrl);
    const body = signInBody.safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError('bad_request', 'Enter your email and your password.');
    const { email, password } = body.data;
    await limiter?.checkSignInFailures(req, res, email);
    const user = await findUserForSignIn(db, email);
    const matches = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !matches || !user.active) {
      await limiter?.countSignInFailure(req, email);
      if (user)
        audit.record({
          practiceId: user.practiceId,
          userId: user.id,
          tokenId: null,
          action: 'session.sign_in_failed',
          resourceType: 'user',
          resourceId: user.id,
          status: 401,
          ip: req.ip ?? null,
          detail: user.active ? null : { inactive: true },
        });
      throw new SignInFailedError();
    }
    await limiter?.clearSignInFailures(email);
    const session = await startSession(req, res, user.id);
    audit.record({
      practiceId: user.practiceId,
      userId: user.id,
      tokenId: null,
      action: 'session.start',
      resourceType: 'user',
      resourceId: user.id,
      status: 200,
      ip: req.ip ?? null,
      detail: null,
    });
    res.json(session);
  });

  r.post('/session/sign-out', async (req, res) => {
    const sessionId = readCookie(req, PAGE_SESSION_COOKIE);
    if (sessionId) {
      checkSameOrigin(req, policy.publicUrl);
      const principal = await useUserSession(db, sessionId, policy.session);
      await endUserSession(db, sessionId);
      if (principal)
        audit.record({
          practiceId: principal.practiceId,
          userId: principal.userId,
          tokenId: null,
          action: 'session.end',
          resourceType: 'user',
          resourceId: principal.userId,
          status: 204,
          ip: req.ip ?? null,
          detail: null,
        });
    }
    res.clearCookie(PAGE_SESSION_COOKIE, pageCookieOptions(req, policy));
    res.status(204).end();
  });

  r.get('/password-links/:token', async (req, res) => {
    const link = await findPasswordLink(db, req.params.token);
    if (!link) throw new LinkNotValidError();
    res.json({
      purpose: link.purpose,
      email: link.email,
      name: link.name,
      practice: { name: link.practiceName },
    } satisfies PasswordLinkInfo);
  });

  r.post('/password-links/:token', smallJsonBody(), async (req, res) => {
    if (req.get('origin')) checkSameOrigin(req, policy.publicUrl);
    const body = passwordBody.safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError('bad_request', 'Enter the password you want to use.');
    const token = String(req.params.token);
    const link = await findPasswordLink(db, token);
    if (!link) throw new LinkNotValidError();
    const problem = passwordProblem(body.data.password, link.email);
    if (problem) throw new WeakPasswordError(problem);
    const used = await usePasswordLink(db, token, await hashPassword(body.data.password));
    if (!used) throw new LinkNotValidError();
    const session = await startSession(req, res, used.userId);
    const user = await findUserForSignIn(db, link.email);
    if (user)
      audit.record({
        practiceId: user.practiceId,
        userId: user.id,
        tokenId: null,
        action: 'user.password_set',
        resourceType: 'user',
        resourceId: user.id,
        status: 200,
        ip: req.ip ?? null,
        detail: { purpose: used.purpose },
      });
    res.json(session);
  });

  return r;
}

export class WeakPasswordError extends AppError {
  constructor(message: string) {
    super('weak_password', message, 400);
  }
}
