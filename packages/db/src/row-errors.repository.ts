import { sql } from 'kysely';
import type { Db } from './connection.js';

export type Severity = 'error' | 'warning';

export interface RowErrorQuery {
  limit: number;
  offset: number;
  severity?: Severity;
}

/** Errors (rows not applied) and warnings (rows applied, worth a look), counted apart. */
export async function rowErrorCounts(db: Db, importId: string): Promise<{ errors: number; warnings: number }> {
  const rows = await db
    .selectFrom('import_row_errors')
    .where('import_id', '=', importId)
    .groupBy('severity')
    .select(['severity', (eb) => eb.fn.countAll<string>().as('n')])
    .execute();
  const n = (s: Severity) => Number(rows.find((r) => r.severity === s)?.n ?? 0);
  return { errors: n('error'), warnings: n('warning') };
}

export async function listRowErrors(db: Db, importId: string, opts: RowErrorQuery) {
  let q = db.selectFrom('import_row_errors').where('import_id', '=', importId);
  if (opts.severity) q = q.where('severity', '=', opts.severity);
  const items = await q
    .select(['row_number as rowNumber', 'column_name as column', 'value', 'message', 'severity'])
    .orderBy('row_number')
    .orderBy('id')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  const { total } = await q.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  return { items, total: Number(total) };
}

/**
 * Row errors of one kind said once, with how many rows have it: 3,705 identical warnings are one line.
 * A message quotes the value it refused ("abc" is not an amount of money), so messages are grouped
 * with their quoted values left out, and one value is kept as the example.
 */
const groupKey = sql<string>`regexp_replace(message, '"[^"]*"', '"…"', 'g')`;

export async function listRowErrorGroups(db: Db, importId: string, opts: RowErrorQuery) {
  let q = db.selectFrom('import_row_errors').where('import_id', '=', importId);
  if (opts.severity) q = q.where('severity', '=', opts.severity);
  const grouped = q.groupBy([groupKey, 'severity', 'column_name']);
  const items = await grouped
    .select([
      groupKey.as('message'),
      'severity',
      'column_name as column',
      (eb) => eb.fn.countAll<string>().as('count'),
      (eb) => eb.fn.min('row_number').as('firstRow'),
      sql<string>`(array_agg(value order by row_number, id))[1]`.as('example'),
    ])
    // errors first (they were not applied), then the commonest
    .orderBy(sql`severity = 'warning'`)
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(sql`min(row_number)`)
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  const { total } = await db
    .selectFrom(grouped.select(groupKey.as('k')).as('g'))
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  return {
    items: items.map((g) => ({ ...g, count: Number(g.count), firstRow: Number(g.firstRow) })),
    total: Number(total),
  };
}
