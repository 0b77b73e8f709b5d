import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '@ledgerport/core';
import { findPrincipalByTokenHash, hashToken, type Db, type Principal } from '@ledgerport/db';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export interface AuthOptions {
  /**
   * How long a token's user is remembered after it was looked up; 0 looks it up on every request.
   * Staff poll an import's progress every second or two while a merge keeps both cores busy, and the
   * token lookup was half of each poll's round trips. The price: a user deactivated (or a token
   * deleted) keeps working for up to this long.
   */
  cacheMs: number;
  /** Tokens remembered at most; the oldest is forgotten first. */
  maxEntries?: number;
}

export function authenticate(db: Db, options: AuthOptions = { cacheMs: 0 }) {
  const remembered = new Map<string, { principal: Principal; until: number }>();
  const maxEntries = options.maxEntries ?? 1_000;
  const lookUp = async (tokenHash: string): Promise<Principal | null> => {
    const now = Date.now();
    const hit = remembered.get(tokenHash);
    if (hit && hit.until > now) return hit.principal;
    remembered.delete(tokenHash);
    const principal = await findPrincipalByTokenHash(db, tokenHash);
    // Only valid tokens are remembered: a refused one is looked up again, so a new token works at once.
    if (principal && options.cacheMs > 0) {
      remembered.set(tokenHash, { principal, until: now + options.cacheMs });
      if (remembered.size > maxEntries) remembered.delete(remembered.keys().next().value as string);
    }
    return principal;
  };
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('Sign in with your Ledgerport API token (Authorization: Bearer …).');
    const principal = await lookUp(hashToken(match[1]));
    if (!principal) throw new UnauthorizedError('That API token is not valid, or its user is no longer active.');
    req.principal = principal;
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError('Sign in with your Ledgerport API token.');
  return req.principal;
}

export function requireAdmin(req: Request): Principal {
  const p = principalOf(req);
  if (p.role !== 'admin') throw new ForbiddenError('Only a practice administrator can do that.');
  return p;
}
