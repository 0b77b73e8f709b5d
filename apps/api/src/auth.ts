import type { NextFunction, Request, Response } from 'express';
import { AppError, ForbiddenError, UnauthorizedError } from '@ledgerport/core';
import {
  findPrincipalByTokenHash,
  hashToken,
  touchApiToken,
  type Db,
  type Principal,
  type TokenPrincipal,
} from '@ledgerport/db';
import type { AuthEpoch } from './auth-epoch.js';
import type { BackgroundWrites } from './background-writes.js';
import type { RateLimiter } from './rate-limit.js';
import { checkSameOrigin, sessionPrincipal, unauthorizedWithoutCredentials, type PeoplePolicy } from './people/page-session.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** 401 for a token past its expiry, saying so: the user needs a new token, not to retype this one. */
export class TokenExpiredError extends AppError {
  constructor(expiredAt: Date) {
    super(
      'token_expired',
      `This API token expired on ${expiredAt.toISOString().slice(0, 10)}. Make a new one (POST /tokens, or ask your administrator) and sign in with it.`,
      401,
    );
  }
}

export interface AuthOptions {
  /**
   * How long a token's user is remembered after it was looked up; 0 looks it up on every request.
   * Staff poll an import's progress every second or two while a merge keeps both cores busy, and the
   * token lookup was half of each poll's round trips. A remembered entry is trusted only while the
   * auth epoch (see AuthEpoch) is unchanged, so a revocation, deactivation or new role is seen at once
   * by every process; without an epoch, entries are not remembered at all.
   */
  cacheMs: number;
  epoch?: AuthEpoch;
  /** Tokens remembered at most; the oldest is forgotten first. */
  maxEntries?: number;
  limiter?: RateLimiter;
  /** People's page sessions (a cookie); absent: API tokens only. */
  people?: PeoplePolicy;
  /** Where last_used_at is written without the request waiting for it. */
  background?: BackgroundWrites;
  now?: () => Date;
}

// last_used_at answers "is this token still in use?": once a minute is plenty, and saves a write per poll.
const TOUCH_EVERY_MS = 60_000;

type TokenCheckOptions = Pick<AuthOptions, 'cacheMs' | 'epoch' | 'limiter'>;

/** The token's hash, when the request signs in with `Authorization: Bearer …`. */
function bearerTokenHash(req: Request): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return match?.[1] ? hashToken(match[1]) : null;
}

/**
 * Counts the token against its rate limit and reads the auth epoch (null: cached tokens are not to be
 * trusted), both at once: Redis answers the two in one round trip.
 */
function checkToken(options: TokenCheckOptions, res: Response, tokenHash: string): Promise<string | null | undefined> {
  const caching = options.cacheMs > 0 && options.epoch !== undefined;
  return Promise.all([options.limiter?.countToken(res, tokenHash), caching ? options.epoch?.read() : null]).then(
    ([, epoch]) => epoch,
  );
}

const checksAhead = new WeakMap<Response, { tokenHash: string; epoch: Promise<string | null | undefined> }>();

/**
 * Mount before the per-address rate limit, with authenticate's options: a request with an API token
 * sends its token's count and the epoch read to Redis before the address's count is awaited, so the
 * three share one round trip instead of taking three. A progress poll is little more than its round
 * trips, and on a machine whose cores an import keeps busy each one waits its turn for a core
 * (measured in the bench: about half of a poll's time before its one database query).
 * authenticate() awaits what was started here; a refusal started here (429) is thrown there, or not at
 * all when an earlier check already answered the request.
 */
export function startTokenChecks(options: TokenCheckOptions) {
  return (req: Request, res: Response, next: NextFunction) => {
    const tokenHash = bearerTokenHash(req);
    if (tokenHash) {
      const epoch = checkToken(options, res, tokenHash);
      // Handled here so that a refusal nobody awaits (the address was refused first) is not reported
      // as unhandled; authenticate() still sees it, since it awaits `epoch` itself.
      epoch.catch(() => undefined);
      checksAhead.set(res, { tokenHash, epoch });
    }
    next();
  };
}

export function authenticate(db: Db, options: AuthOptions = { cacheMs: 0 }) {
  const remembered = new Map<string, { principal: TokenPrincipal; epoch: string; until: number }>();
  const touched = new Map<string, number>();
  const maxEntries = options.maxEntries ?? 1_000;
  const now = options.now ?? (() => new Date());
  const caching = options.cacheMs > 0 && options.epoch !== undefined;

  const lookUp = async (
    req: Request,
    res: Response,
    tokenHash: string,
    at: number,
    epoch: string | null | undefined,
  ): Promise<TokenPrincipal | null> => {
    const hit = caching ? remembered.get(tokenHash) : undefined;
    if (hit && hit.until > at && epoch === hit.epoch) return hit.principal;
    remembered.delete(tokenHash);
    await options.limiter?.checkAuthFailures(req, res);
    const principal = await findPrincipalByTokenHash(db, tokenHash);
    // Only valid tokens are remembered: a refused one is looked up again, so a new token works at once.
    if (principal && caching && epoch) {
      const until = Math.min(at + options.cacheMs, principal.tokenExpiresAt.getTime());
      remembered.set(tokenHash, { principal, epoch, until });
      if (remembered.size > maxEntries) remembered.delete(remembered.keys().next().value as string);
    }
    return principal;
  };

  const touch = (p: TokenPrincipal, at: number) => {
    const last = Math.max(touched.get(p.tokenId) ?? 0, p.tokenLastUsedAt?.getTime() ?? 0);
    if (at - last < TOUCH_EVERY_MS || !options.background) return;
    touched.delete(p.tokenId);
    touched.set(p.tokenId, at);
    if (touched.size > maxEntries) touched.delete(touched.keys().next().value as string);
    options.background.run('recording a token’s last use', () => touchApiToken(db, p.tokenId), { tokenId: p.tokenId });
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    const tokenHash = bearerTokenHash(req);
    if (!tokenHash && options.people) {
      // The page: a session cookie, its user read afresh on every request (a deactivation or a new
      // role counts at once), and changes accepted only from the page's own origin.
      const session = await sessionPrincipal(db, options.people, req);
      if (!session) throw unauthorizedWithoutCredentials();
      await options.limiter?.countToken(res, hashToken(session.sessionId));
      checkSameOrigin(req, options.people.publicUrl);
      req.principal = session.principal;
      next();
      return;
    }
    if (!tokenHash) throw new UnauthorizedError('Sign in with your Ledgerport API token (Authorization: Bearer …).');
    // The epoch is read before the lookup: a change committed after this read bumps past it, so an
    // entry stored by lookUp is dropped on its next use.
    const ahead = checksAhead.get(res);
    const epoch = await (ahead?.tokenHash === tokenHash ? ahead.epoch : checkToken(options, res, tokenHash));
    const at = now().getTime();
    const principal = await lookUp(req, res, tokenHash, at, epoch);
    if (!principal) {
      await options.limiter?.countAuthFailure(req, res);
      throw new UnauthorizedError('That API token is not valid, or its user is no longer active.');
    }
    if (principal.tokenExpiresAt.getTime() <= at) {
      remembered.delete(tokenHash);
      await options.limiter?.countAuthFailure(req, res);
      throw new TokenExpiredError(principal.tokenExpiresAt);
    }
    touch(principal, at);
    req.principal = principal;
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthorizedWithoutCredentials();
  return req.principal;
}

export function requireAdmin(req: Request): Principal {
  const p = principalOf(req);
  if (p.role !== 'admin') throw new ForbiddenError('Only a practice administrator can do that.');
  return p;
}
