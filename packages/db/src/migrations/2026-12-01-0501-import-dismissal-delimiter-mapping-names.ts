// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An administrator sets a failed import aside once it has been dealt with (uploaded again, say):
    -- it stays in the list of imports, but no longer needs attention.
    alter table imports add column dismissed_at timestamptz, add column dismissed_by uuid references users(id);
    -- The CSV's field separator as read, so the file of rejected rows comes back in it: a semicolon
    -- file with decimal commas written back with commas would be refused when uploaded again.
    alter table imports add column delimiter text;
    -- A saved mapping names the file's columns by their header text, not their place: a later export
    -- with its columns reordered or one more column still matches. Positions saved before become
    -- the names they pointed at.
    update column_mappings m set columns = coalesce((
      select jsonb_object_agg(e.key, case when jsonb_typeof(e.value) = 'number' then m.header -> (e.value::text::int) else e.value end)
      from jsonb_each(m.columns) e
    ), '{}'::jsonb);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update column_mappings m set columns = coalesce((
      select jsonb_object_agg(e.key, (
        select to_jsonb(h.i - 1) from jsonb_array_elements_text(m.header) with ordinality h(name, i)
        where lower(h.name) = lower(e.value #>> '{}') limit 1))
      from jsonb_each(m.columns) e
    ), '{}'::jsonb);
    alter table imports drop column delimiter, drop column dismissed_by, drop column dismissed_at;
  `.execute(db);
}
