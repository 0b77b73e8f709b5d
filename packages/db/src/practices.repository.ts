import { isUuid } from '@ledgerport/core';
import { sql } from 'kysely';
import type { Db } from './connection.js';

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
  return db
    .selectFrom('locations')
    .where('practice_id', '=', practiceId)
    .where(isUuid(idOrName) ? 'id' : 'name', '=', idOrName)
    .select(['id', 'name', 'pm_system as pmSystem', 'archived_at as archivedAt'])
    .executeTakeFirst();
}

export async function activeUserIds(db: Db, practiceId: string): Promise<string[]> {
  const rows = await db.selectFrom('users').where('practice_id', '=', practiceId).where('active', '=', true).select('id').execute();
  return rows.map((r) => r.id);
}

/** A practice's limits on manual credits, payments and refunds. */
export interface MoneyLimits {
  /** none above this */
  maxCents: number;
  /** above this, only an admin */
  approvalThresholdCents: number;
}

export async function practiceMoneyLimits(db: Db, practiceId: string): Promise<MoneyLimits> {
  return db
    .selectFrom('practices')
    .where('id', '=', practiceId)
    .select(['max_manual_amount_cents as maxCents', 'approval_threshold_cents as approvalThresholdCents'])
    .executeTakeFirstOrThrow();
}

export type NewPracticeResult =
  | { ok: true; practice: { id: string; name: string }; admin: { id: string; email: string; name: string } }
  | { ok: false; reason: 'practice_taken' | 'email_taken' };

/** A new practice and its first administrator (who has no password until they follow an invitation). */
export async function createPracticeWithAdmin(
  db: Db,
  p: { name: string; adminEmail: string; adminName: string },
): Promise<NewPracticeResult> {
  return db.transaction().execute(async (trx): Promise<NewPracticeResult> => {
    const practice = await trx
      .insertInto('practices')
      .values({ name: p.name })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!practice) return { ok: false, reason: 'practice_taken' } as const;
    const admin = await trx
      .insertInto('users')
      .values({ practice_id: practice.id, email: p.adminEmail, name: p.adminName, role: 'admin' })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .returning(['id', 'email', 'name'])
      .executeTakeFirst();
    // Rolled back, practice and all: a practice is never left without its administrator.
    if (!admin) throw new EmailTakenError();
    return { ok: true, practice, admin } as const;
  }).catch((e: unknown): NewPracticeResult => {
    if (e instanceof EmailTakenError) return { ok: false, reason: 'email_taken' } as const;
    throw e;
  });
}

class EmailTakenError extends Error {}
