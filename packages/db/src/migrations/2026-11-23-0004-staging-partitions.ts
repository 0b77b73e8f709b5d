// Frozen in time: never edit a migration once it has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

/**
 * staged_claims becomes a table partitioned by import, one unlogged partition per import:
 * - an import's partition is truncated when it finishes and dropped soon after, so a million staged
 *   rows leave no dead tuples behind (the shared table grew by ~150 MiB per million-row import where
 *   nothing vacuumed it);
 * - the planner sizes each import's rows from its own partition, with no statistics to go stale;
 * - the claim key is unique per import, so an in-file duplicate is found by ON CONFLICT, the one
 *   check no plan can turn quadratic.
 * Rows of imports staged when this runs are moved into their partitions (first row of a key wins).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table staged_claims rename to staged_claims_unpartitioned;
    alter table staged_claims_unpartitioned rename constraint staged_claims_pkey to staged_claims_unpartitioned_pkey;
    alter index staged_claims_key rename to staged_claims_unpartitioned_key;
    create table staged_claims (
      import_id uuid not null,
      row_no integer not null,
      claim_key text not null,
      claim_number text,
      patient_name text not null,
      patient_account text,
      date_of_birth date,
      payer_name text not null,
      payer_key text not null,
      date_of_service date not null,
      billed_cents bigint,
      balance_cents bigint not null,
      aging_bucket text,
      primary key (import_id, row_no),
      unique (import_id, claim_key)
    ) partition by list (import_id);
    do $$
    declare i uuid;
    begin
      for i in select distinct import_id from staged_claims_unpartitioned loop
        execute format('create unlogged table %I partition of staged_claims for values in (%L)', 'staged_claims_' || replace(i::text, '-', ''), i);
      end loop;
    end $$;
    insert into staged_claims select * from staged_claims_unpartitioned order by import_id, row_no on conflict do nothing;
    drop table staged_claims_unpartitioned;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unlogged table staged_claims_unpartitioned (like staged_claims);
    insert into staged_claims_unpartitioned select * from staged_claims;
    drop table staged_claims;
    alter table staged_claims_unpartitioned rename to staged_claims;
    alter table staged_claims add primary key (import_id, row_no);
    create index staged_claims_key on staged_claims (import_id, claim_key);
  `.execute(db);
}
