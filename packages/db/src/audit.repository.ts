import type { Db } from './connection.js';

/** One line of the audit log: ids, codes and the outcome, never a cell value or a patient's name. */
export interface AuditEntry {
  practiceId: string;
  userId: string;
  tokenId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  status: number;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export async function insertAuditEntry(db: Db, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      practice_id: e.practiceId,
      user_id: e.userId,
      token_id: e.tokenId,
      action: e.action,
      resource_type: e.resourceType,
      resource_id: e.resourceId,
      status: e.status,
      ip: e.ip,
      detail: e.detail === null ? undefined : JSON.stringify(e.detail),
    })
    .execute();
}

export interface AuditQuery {
  limit: number;
  offset: number;
  actions?: string[];
  userId?: string;
  from?: Date;
  /** exclusive */
  to?: Date;
}

/** A practice's audit log, newest first; only that practice's lines, whatever the filters. */
export async function listAuditEntries(db: Db, practiceId: string, q: AuditQuery) {
  const filtered = () => {
    let query = db.selectFrom('audit_log as a').where('a.practice_id', '=', practiceId);
    if (q.actions?.length) query = query.where('a.action', 'in', q.actions);
    if (q.userId) query = query.where('a.user_id', '=', q.userId);
    if (q.from) query = query.where('a.at', '>=', q.from);
    if (q.to) query = query.where('a.at', '<', q.to);
    return query;
  };
  const rows = await filtered()
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select([
      'a.id',
      'a.at',
      'a.user_id as userId',
      'u.name as userName',
      'a.token_id as tokenId',
      'a.action',
      'a.resource_type as resourceType',
      'a.resource_id as resourceId',
      'a.status',
      'a.ip',
      'a.detail',
    ])
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const { total } = await filtered()
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      user: { id: r.userId, name: r.userName },
      tokenId: r.tokenId,
      action: r.action,
      resource: { type: r.resourceType, id: r.resourceId },
      status: r.status,
      ip: r.ip,
      detail: r.detail,
    })),
  };
}
