import { sql } from 'kysely';
import { ConflictError } from '@ledgerport/core';
import type { Db } from './connection.js';

export interface LocationChange {
  name?: string;
  aliases?: string[];
  pmSystem?: string | null;
  archived?: boolean;
}


/**
 * A location's names (its own and its aliases) must be its alone in the practice: a file naming one
 * of them is checked against the location it was uploaded for, and one name meaning two locations
 * would let a file in for the wrong one.
 */
async function assertNamesFree(db: Db, practiceId: string, exceptId: string | null, names: string[]): Promise<void> {
  const keys = names.map(locationKeySql).filter((k) => k !== '');
  if (!keys.length) return;
  const { rows } = await sql<{ name: string }>`
    select l.name from locations l
    where l.practice_id = ${practiceId} and (${exceptId}::uuid is null or l.id <> ${exceptId}::uuid)
      and exists (
        select 1 from unnest(array_append(l.aliases, l.name)) n
        where lower(regexp_replace(n, '[^[:alnum:]]', '', 'g')) = any(${keys}::text[])
      )
    limit 1`.execute(db);
  const taken = rows[0];
  if (taken)
    throw new ConflictError(
      'location_name_taken',
      `${taken.name} already goes by one of these names. Each name may belong to one location only.`,
    );
}

/** As locationKey in core, for names compared in SQL (accents are folded before they get here). */
function locationKeySql(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export async function createLocation(
  db: Db,
  practiceId: string,
  l: { name: string; aliases: string[]; pmSystem: string | null },
): Promise<{ id: string }> {
  await assertNamesFree(db, practiceId, null, [l.name, ...l.aliases]);
  return db
    .insertInto('locations')
    .values({ practice_id: practiceId, name: l.name, aliases: l.aliases, pm_system: l.pmSystem })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Renames, re-aliases, sets the PM system of, archives or restores a location of the practice. */
export async function updateLocation(db: Db, practiceId: string, id: string, c: LocationChange): Promise<boolean> {
  const current = await db
    .selectFrom('locations')
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .select(['name', 'aliases'])
    .executeTakeFirst();
  if (!current) return false;
  await assertNamesFree(db, practiceId, id, [c.name ?? current.name, ...(c.aliases ?? current.aliases)]);
  const r = await db
    .updateTable('locations')
    .set({
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.aliases !== undefined ? { aliases: c.aliases } : {}),
      ...(c.pmSystem !== undefined ? { pm_system: c.pmSystem } : {}),
      ...(c.archived !== undefined ? { archived_at: c.archived ? sql<Date>`now()` : null } : {}),
    })
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
