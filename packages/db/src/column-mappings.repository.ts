import { normalizeHeader } from '@ledgerport/core';
import type { Db } from './connection.js';

/** The key a header is found by: its cells normalized the way column names are compared. */
export function headerKey(header: readonly string[]): string {
  return header.map((h) => normalizeHeader(h)).join('|').replace(/\|+$/, '');
}

export async function saveColumnMapping(
  db: Db,
  m: { practiceId: string; name: string; header: string[]; columns: Record<string, string>; profileId: string; createdBy: string },
) {
  return db
    .insertInto('column_mappings')
    .values({
      practice_id: m.practiceId,
      name: m.name,
      header_key: headerKey(m.header),
      header: JSON.stringify(m.header),
      columns: JSON.stringify(m.columns),
      profile_id: m.profileId,
      created_by: m.createdBy,
    })
    .onConflict((oc) =>
      oc.columns(['practice_id', 'header_key']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        columns: eb.ref('excluded.columns'),
        profile_id: eb.ref('excluded.profile_id'),
      })),
    )
    .returning(['id', 'name', 'header', 'columns', 'profile_id as profileId', 'created_at as createdAt'])
    .executeTakeFirstOrThrow();
}

export async function listColumnMappings(db: Db, practiceId: string) {
  return db
    .selectFrom('column_mappings')
    .where('practice_id', '=', practiceId)
    .select(['id', 'name', 'header', 'columns', 'profile_id as profileId', 'created_at as createdAt'])
    .orderBy('created_at', 'desc')
    .execute();
}
