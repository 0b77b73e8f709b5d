import { sql } from 'kysely';
import type { Db } from './connection.js';
import type { Role } from './schema.js';
import { hashToken, newToken } from './seed.js';

/** Who a request acts as: an active user and their practice, by an API token or a page session. */
export interface Principal {
  userId: string;
  userName: string;
  email: string;
  role: Role;
  practiceId: string;
  practiceName: string;
  /** the API token the request came with; null for a page session */
  tokenId: string | null;
}

/** A principal by an API token, with what the token check needs. */
export interface TokenPrincipal extends Principal {
  tokenId: string;
  tokenExpiresAt: Date;
  tokenLastUsedAt: Date | null;
}

/**
 * The active user behind a token hash, with their practice; null for an unknown or revoked token or an
 * inactive user. An expired token is returned (with its expiry) so the caller can say it expired.
 */
export async function findPrincipalByTokenHash(db: Db, tokenHash: string): Promise<TokenPrincipal | null> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('practices as p', 'p.id', 'u.practice_id')
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where('u.active', '=', true)
    .select([
      'u.id as userId',
      'u.name as userName',
      'u.email',
      'u.role',
      'p.id as practiceId',
      'p.name as practiceName',
      't.id as tokenId',
      't.expires_at as tokenExpiresAt',
      't.last_used_at as tokenLastUsedAt',
    ])
    .executeTakeFirst();
  return row ?? null;
}

export interface ApiTokenView {
  id: string;
  label: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
}

const TOKEN_COLUMNS = [
  'id',
  'label',
  'created_at as createdAt',
  'expires_at as expiresAt',
  'last_used_at as lastUsedAt',
] as const;

/** A new token for a user; the raw token is returned this once, only its hash is kept. */
export async function createApiToken(
  db: Db,
  t: { userId: string; role: Role; label: string; expiresAt: Date; createdBy: string },
): Promise<ApiTokenView & { token: string }> {
  const token = newToken(t.role);
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: t.userId,
      token_hash: hashToken(token),
      label: t.label,
      expires_at: t.expiresAt,
      created_by: t.createdBy,
    })
    .returning(TOKEN_COLUMNS)
    .executeTakeFirstOrThrow();
  return { ...row, token };
}

/** A user's tokens that are not revoked, expired ones included (they say when they expired), newest first. */
export async function listApiTokens(db: Db, userId: string): Promise<ApiTokenView[]> {
  return db
    .selectFrom('api_tokens')
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .select(TOKEN_COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Revokes one of a user's tokens; false when the user has no such token, or it was revoked already. */
export async function revokeApiToken(
  db: Db,
  r: { userId: string; tokenId: string; revokedBy: string },
): Promise<boolean> {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql<Date>`now()`, revoked_by: r.revokedBy })
    .where('id', '=', r.tokenId)
    .where('user_id', '=', r.userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Records that a token was used. The WHERE keeps it to one row version a minute per token however
 * many API processes call it: last_used_at is for "is this token still in use", not for counting.
 */
export async function touchApiToken(db: Db, tokenId: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', tokenId)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]),
    )
    .execute();
}
