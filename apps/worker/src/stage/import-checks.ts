import type pg from 'pg';
import { DEFAULT_RESOLVE_LIMITS, UnrecoverableImportError, reviewBeforeResolving, type Review } from '@ledgerport/core';
import { stagedResolvePlan, type ImportRecord } from '@ledgerport/db';

/**
 * After a file is read, before anything of it is applied: a file with no rows, or none that could be
 * read, is not a snapshot of anything and fails whole. An aging report with no claims is the one
 * exception an administrator may confirm (the location really has no open claims).
 */
export async function assertSomethingToImport(pool: pg.Pool, importId: string): Promise<void> {
  const { rows } = await pool.query<{
    kind: string;
    rows_read: number;
    rows_accepted: number;
    approved: boolean;
    location_id: string | null;
    location_name: string | null;
  }>(
    `select i.kind, i.rows_read, i.rows_accepted, i.resolve_approved_by is not null as approved, i.location_id, l.name as location_name
     from imports i left join locations l on l.id = i.location_id where i.id = $1`,
    [importId],
  );
  const imp = rows[0];
  if (!imp) return;
  if (imp.rows_read > 0 && imp.rows_accepted === 0)
    throw new UnrecoverableImportError(
      'nothing_readable',
      `None of the ${imp.rows_read.toLocaleString('en-US')} rows of this file could be read, so nothing was imported. See the errors, fix the file and upload it again.`,
    );
  if (imp.rows_read > 0) return;
  if (imp.kind !== 'aging')
    throw new UnrecoverableImportError('no_rows', 'The file has a header but no rows under it. Nothing was imported.');
  if (imp.approved || imp.location_id === null) return;
  const { rows: open } = await pool.query<{ n: number }>(
    'select count(*)::int as n from claims where location_id = $1 and resolved_at is null',
    [imp.location_id],
  );
  const n = open[0]?.n ?? 0;
  if (n === 0) return;
  throw new UnrecoverableImportError(
    'no_claims',
    `This report has no claims. If ${imp.location_name ?? 'the location'} really has no open insurance claims, an administrator can confirm it, ` +
      `and its ${n.toLocaleString('en-US')} open claim${n === 1 ? '' : 's'} will be marked resolved. Otherwise export the report again. Nothing was changed.`,
  );
}

/** The review a staged aging preview needs before Save, if any (see reviewBeforeResolving). */
export async function reviewOfStagedAging(pool: pg.Pool, imp: ImportRecord): Promise<Review | null> {
  if (imp.kind !== 'aging' || !imp.locationId) return null;
  const plan = await stagedResolvePlan(pool, imp);
  const { rows } = await pool.query<{ percent: number; min_claims: number; unreadable: number }>(
    `select p.mass_resolve_percent as percent, p.mass_resolve_min_claims as min_claims,
       greatest(i.rows_rejected - coalesce((i.counters->>'duplicateRows')::int, 0), 0) as unreadable
     from imports i join practices p on p.id = i.practice_id where i.id = $1`,
    [imp.id],
  );
  const r = rows[0];
  return reviewBeforeResolving(
    {
      claimsToResolve: plan.count,
      centsToResolve: plan.cents,
      openClaims: plan.openBefore,
      rowsRejected: r?.unreadable ?? 0,
      locationName: imp.locationName ?? 'this location',
    },
    r ? { percent: r.percent, minClaims: r.min_claims } : DEFAULT_RESOLVE_LIMITS,
  );
}
