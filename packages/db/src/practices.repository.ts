import { isUuid } from '@ledgerport/core';
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
