import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from './connection.js';

export interface PracticeSettings {
  timeZone: string;
  defaultModes: Record<string, 'commit' | 'preview'>;
  massResolvePercent: number;
  massResolveMinClaims: number;
  retentionDays: number;
  /** credits, payments and refunds above it only an administrator may enter */
  approvalThresholdCents: number;
  /** no credit, payment or refund may be above it */
  maxManualAmountCents: number;
  /** set by the operator (the subscription); shown with the practice's current count */
  patientQuota: number;
  patients: number;
}

export async function getPracticeSettings(db: Db, practiceId: string): Promise<PracticeSettings | null> {
  const { rows } = await sql<PracticeSettings>`
    select p.time_zone as "timeZone", p.default_modes as "defaultModes", p.mass_resolve_percent as "massResolvePercent",
      p.mass_resolve_min_claims as "massResolveMinClaims", p.retention_days as "retentionDays",
      p.approval_threshold_cents as "approvalThresholdCents", p.max_manual_amount_cents as "maxManualAmountCents", p.patient_quota as "patientQuota",
      (select count(*) from patients x where x.practice_id = p.id)::int as patients
    from practices p where p.id = ${practiceId}`.execute(db);
  return rows[0] ?? null;
}

export type PracticeSettingsChange = Partial<
  Pick<PracticeSettings, 'timeZone' | 'defaultModes' | 'massResolvePercent' | 'massResolveMinClaims' | 'retentionDays' | 'approvalThresholdCents' | 'maxManualAmountCents'
  >
>;

export async function updatePracticeSettings(db: Db, practiceId: string, c: PracticeSettingsChange): Promise<void> {
  const set = {
    ...(c.timeZone !== undefined ? { time_zone: c.timeZone } : {}),
    ...(c.defaultModes !== undefined ? { default_modes: JSON.stringify(c.defaultModes) } : {}),
    ...(c.massResolvePercent !== undefined ? { mass_resolve_percent: c.massResolvePercent } : {}),
    ...(c.massResolveMinClaims !== undefined ? { mass_resolve_min_claims: c.massResolveMinClaims } : {}),
    ...(c.retentionDays !== undefined ? { retention_days: c.retentionDays } : {}),
    ...(c.approvalThresholdCents !== undefined ? { approval_threshold_cents: c.approvalThresholdCents } : {}),
    ...(c.maxManualAmountCents !== undefined ? { max_manual_amount_cents: c.maxManualAmountCents } : {}),
  };
  if (Object.keys(set).length) await db.updateTable('practices').set(set).where('id', '=', practiceId).execute();
}

/** The practice's time zone: its "today" for report dates and Balance Forward dates of service. */
export async function practiceTimeZone(db: pg.Pool, practiceId: string): Promise<string> {
  const { rows } = await db.query<{ time_zone: string }>('select time_zone from practices where id = $1', [practiceId]);
  return rows[0]?.time_zone ?? 'UTC';
}
