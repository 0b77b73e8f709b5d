import type { Db } from './connection.js';
import type { Role } from './schema.js';

export interface Principal {
  userId: string;
  userName: string;
  email: string;
  role: Role;
  practiceId: string;
  practiceName: string;
}

/** The active user behind a token hash, with their practice; null for unknown or inactive. */
export async function findPrincipalByTokenHash(db: Db, tokenHash: string): Promise<Principal | null> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('practices as p', 'p.id', 'u.practice_id')
    .where('t.token_hash', '=', tokenHash)
    .where('u.active', '=', true)
    .select(['u.id as userId', 'u.name as userName', 'u.email', 'u.role', 'p.id as practiceId', 'p.name as practiceName'])
    .executeTakeFirst();
  return row ?? null;
}

export async function listLocations(db: Db, practiceId: string, opts: { archived?: boolean } = {}) {
  let q = db.selectFrom('locations').where('practice_id', '=', practiceId);
  if (!opts.archived) q = q.where('archived_at', 'is', null);
  return q
    .select([
      'id',
      'name',
      'aliases',
      'pm_system as pmSystem',
      'archived_at as archivedAt',
      'last_report_date as lastReportDate',
    ])
    .orderBy('name')
    .execute();
}

export async function findLocation(db: Db, practiceId: string, idOrName: string) {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  return db
    .selectFrom('locations')
    .where('practice_id', '=', practiceId)
    .where(isUuid ? 'id' : 'name', '=', idOrName)
    .select(['id', 'name', 'pm_system as pmSystem', 'archived_at as archivedAt'])
    .executeTakeFirst();
}

export async function activeUserIds(db: Db, practiceId: string): Promise<string[]> {
  const rows = await db.selectFrom('users').where('practice_id', '=', practiceId).where('active', '=', true).select('id').execute();
  return rows.map((r) => r.id);
}
