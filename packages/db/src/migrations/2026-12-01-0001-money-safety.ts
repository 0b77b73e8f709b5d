// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- How much of a location's open claims one file may close before an administrator must look.
    alter table practices add column mass_resolve_percent integer not null default 20
      check (mass_resolve_percent between 0 and 100);
    alter table practices add column mass_resolve_min_claims integer not null default 50
      check (mass_resolve_min_claims >= 0);

    -- The other names a location goes by in PM exports ("MAIN", "Main St."): a file naming another
    -- location is refused.
    alter table locations add column aliases text[] not null default '{}';

    -- Why an import waits for an administrator (claims it would close, their money), and who said yes.
    alter table imports add column review jsonb;
    alter table imports add column resolve_approved_by uuid references users(id);
    -- What the import has to say about the file as a whole: the date order it assumed, printed totals
    -- that do not add up.
    alter table imports add column notices jsonb not null default '[]';

    -- Claims a file named on a row it could not read: they stay exactly as they were, never resolved by it.
    create table import_kept_claims (
      import_id uuid not null references imports(id) on delete cascade,
      claim_key text not null,
      primary key (import_id, claim_key)
    );

    -- The practice's self-pay payer (a row with a balance and no insurance) is shown as such.
    alter table payers add column kind text not null default 'insurance' check (kind in ('insurance', 'self_pay'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table payers drop column kind;
    drop table import_kept_claims;
    alter table imports drop column notices, drop column resolve_approved_by, drop column review;
    alter table locations drop column aliases;
    alter table practices drop column mass_resolve_min_claims, drop column mass_resolve_percent;
  `.execute(db);
}
