import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { NotFoundError, ValidationError, coerceError, isUuid } from '@ledgerport/core';
import {
  createApiToken,
  findPracticeUser,
  listApiTokens,
  revokeApiToken,
  type ApiTokenView,
  type Db,
} from '@ledgerport/db';
import type { ApiTokenInfo } from '@ledgerport/api-client';

/** DELETE /tokens/:id's answer (the client's revokeToken). */
type TokenRevoked = { id: string; revoked: true };
import { noteAudit, type AuditLog } from '../audit.js';
import type { AuthEpoch } from '../auth-epoch.js';
import { principalOf, requireAdmin } from '../auth.js';

export interface TokenPolicy {
  /** a new token's life when its maker names none (API_TOKEN_TTL_DAYS) */
  defaultTtlDays: number;
  /** the longest life a token may be given (API_TOKEN_MAX_TTL_DAYS) */
  maxTtlDays: number;
}

export interface TokenRoutesDeps {
  db: Db;
  audit: AuditLog;
  epoch: AuthEpoch;
  policy: TokenPolicy;
  logger: Logger;
  now: () => Date;
}

const DAY_MS = 24 * 3600_000;

/**
 * API tokens (for the CLI and scripts): each user lists, makes and revokes their own; a practice's
 * admins list and revoke those of any user of their practice. A revocation takes effect on every API
 * process at the next request (AuthEpoch).
 */
export function tokenRoutes(deps: TokenRoutesDeps): Router {
  const r = Router();
  const newTokenBody = z.object({
    label: z.string().trim().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(deps.policy.maxTtlDays).optional(),
  });

  const view = (t: ApiTokenView, currentTokenId: string | null): ApiTokenInfo => ({
    id: t.id,
    label: t.label,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expired: t.expiresAt.getTime() <= deps.now().getTime(),
    current: t.id === currentTokenId,
  });

  const revoke = async (req: Request, userId: string, tokenId: unknown) => {
    const p = principalOf(req);
    if (!isUuid(tokenId) || !(await revokeApiToken(deps.db, { userId, tokenId, revokedBy: p.userId })))
      throw new NotFoundError('There is no such token (or it was revoked already).');
    await announce(deps, 'token revoked');
    return { id: tokenId, revoked: true } satisfies TokenRevoked;
  };

  /** A user of the admin's own practice, by the :id of the address; 404 for anyone else's. */
  const practiceUser = async (req: Request) => {
    const admin = requireAdmin(req);
    const user = isUuid(req.params.id) ? await findPracticeUser(deps.db, admin.practiceId, req.params.id) : null;
    if (!user) throw new NotFoundError('There is no such user in your practice.');
    return user;
  };

  r.get('/tokens', deps.audit.route('tokens.list', 'api_token', null), async (req, res) => {
    const p = principalOf(req);
    res.json({ items: (await listApiTokens(deps.db, p.userId)).map((t) => view(t, p.tokenId)) } satisfies {
      items: ApiTokenInfo[];
    });
  });

  r.post('/tokens', deps.audit.route('token.create', 'api_token', null), async (req, res) => {
    const p = principalOf(req);
    const body = newTokenBody.safeParse(req.body ?? {});
    if (!body.success)
      throw new ValidationError(
        'bad_request',
        `Give the token a label (what it is for, up to 100 characters) and, if you like, expiresInDays (1 to ${deps.policy.maxTtlDays}; ${deps.policy.defaultTtlDays} when left out).`,
      );
    const days = body.data.expiresInDays ?? deps.policy.defaultTtlDays;
    const created = await createApiToken(deps.db, {
      userId: p.userId,
      role: p.role,
      label: body.data.label,
      expiresAt: new Date(deps.now().getTime() + days * DAY_MS),
      createdBy: p.userId,
    });
    noteAudit(req, { resourceId: created.id, detail: { expiresInDays: days } });
    // The raw token is in this answer only: it is stored hashed and can never be shown again.
    res
      .status(201)
      .json({ ...view(created, p.tokenId), token: created.token } satisfies ApiTokenInfo & { token: string });
  });

  r.delete('/tokens/:id', deps.audit.route('token.revoke', 'api_token'), async (req, res) => {
    const p = principalOf(req);
    res.json(await revoke(req, p.userId, req.params.id));
  });

  r.get('/users/:id/tokens', deps.audit.route('user.tokens.list', 'user'), async (req, res) => {
    const p = principalOf(req);
    const user = await practiceUser(req);
    res.json({
      user: { id: user.id, name: user.name },
      items: (await listApiTokens(deps.db, user.id)).map((t) => view(t, p.tokenId)),
    });
  });

  r.delete('/users/:id/tokens/:tokenId', deps.audit.route('token.revoke', 'api_token', 'tokenId'), async (req, res) => {
    const user = await practiceUser(req);
    noteAudit(req, { detail: { userId: user.id } });
    res.json(await revoke(req, user.id, req.params.tokenId));
  });

  return r;
}

/**
 * After a change to who may do what has committed: every API process forgets its cached tokens. If
 * Redis cannot be told, the change stands and caches forget within AUTH_CACHE_MS; that is logged.
 */
export async function announce(deps: { epoch: AuthEpoch; logger: Logger }, what: string): Promise<void> {
  try {
    await deps.epoch.bump();
  } catch (e) {
    deps.logger.error(
      { err: coerceError(e) },
      `${what}, but other API processes could not be told; their cached tokens expire within AUTH_CACHE_MS`,
    );
  }
}
