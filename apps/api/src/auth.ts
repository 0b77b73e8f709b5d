import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '@ledgerport/core';
import { findPrincipalByTokenHash, hashToken, type Db, type Principal } from '@ledgerport/db';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function authenticate(db: Db) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('Sign in with your Ledgerport API token (Authorization: Bearer …).');
    const principal = await findPrincipalByTokenHash(db, hashToken(match[1]));
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
