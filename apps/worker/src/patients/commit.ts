import type pg from 'pg';
import { UnrecoverableImportError, fileFiguresMessage, formatCents, type PatientKind } from '@ledgerport/core';
import {
  classifyStagedPatients,
  commitBalances,
  completePatientImport,
  commitCredits,
  commitPatients,
  deleteStagedRows,
  lockImport,
  lockPracticeBalances,
  markCommitting,
  patientQuota,
  withTransaction,
  type ImportRecord,
  type PatientCommitCounts,
} from '@ledgerport/db';
import { ImportCancelled, ImportTakenOver } from '../job/attempt-interruptions.js';

/** Counts in messages staff read carry thousands separators: 12,000, not 12000. */
const n = (x: number) => x.toLocaleString('en-US');

const NOUN: Record<PatientKind, string> = { patients: 'patients', patient_balances: 'balances', patient_credits: 'credits' };

/**
 * Saves a patient-kind import in ONE transaction: these files are bounded by the practice's patient
 * quota (thousands of rows, not millions), so all-or-nothing is cheap and makes a cancel or a crash
 * mid-Save impossible to half-apply.
 */
export async function commitPatientImport(imp: ImportRecord, kind: PatientKind, pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    const s = await lockImport(client, imp.id);
    if (s.cancelRequested) throw new ImportCancelled();
    await markCommitting(client, imp.id);
    if (kind === 'patients') await assertQuota(client, imp);
    if (kind === 'patient_balances') await lockPracticeBalances(client, imp.practiceId);
    const c: PatientCommitCounts =
      kind === 'patients'
        ? await commitPatients(client, imp.id, imp.practiceId)
        : kind === 'patient_balances'
          ? await commitBalances(client, imp.id, imp.practiceId)
          : await commitCredits(client, imp.id, imp.practiceId, imp.createdBy);
    const summary = {
      ...s.counters,
      rowsNew: c.inserted,
      rowsUpdated: c.updated,
      rowsUnchanged: c.unchanged,
      amountCentsApplied: c.amountCents,
      ...(c.creditBalances !== undefined ? { creditBalances: c.creditBalances, creditBalanceCents: c.creditBalanceCents ?? 0 } : {}),
    };
    const applied = c.inserted + c.updated + c.unchanged;
    await deleteStagedRows(client, imp.id);
    if (!(await completePatientImport(client, imp.id, summary, applied))) throw new ImportTakenOver(imp.id, s.status);
    const hasMoney = kind !== 'patients';
    const figures = fileFiguresMessage({
      rowsInFile: imp.rowsRead + (s.counters.skippedInactive ?? 0),
      rowsApplied: applied,
      rowsRejected: imp.rowsRejected,
      rowsWarned: imp.rowsWarned,
      rowsSkipped: s.counters.skippedInactive ?? 0,
      centsInFile: hasMoney ? (s.counters.centsInFile ?? 0) : null,
      centsApplied: hasMoney ? c.amountCents : null,
      rowsAmountUnreadable: s.counters.rowsAmountUnreadable ?? 0,
      printedTotalCents: null,
      printedDifferenceCents: 0,
    });
    const head = imp.rowsRejected > 0 ? `${imp.originalName} was saved with ${n(imp.rowsRejected)} rejected row${imp.rowsRejected === 1 ? '' : 's'}` : `${imp.originalName} was saved`;
    await client.query(`insert into notifications (user_id, kind, message, link) values ($1, 'import_completed', $2, $3)`, [
      imp.createdBy,
      `${head}: ${n(c.inserted)} new, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged ${NOUN[kind]}${hasMoney ? `; ${formatCents(c.amountCents)} applied` : ''}. ${figures}`,
      `/imports/${imp.id}`,
    ]);
  });
}

/** The whole file is refused when its new patients would take the practice past its quota. */
export async function assertQuota(client: pg.PoolClient | pg.Pool, imp: ImportRecord): Promise<void> {
  const { quota, current } = await patientQuota(client, imp.practiceId);
  const { new: adding } = await classifyStagedPatients(client, imp.id, imp.practiceId);
  if (current + adding > quota) {
    throw new UnrecoverableImportError(
      'quota_exceeded',
      `This file would add ${n(adding)} new patient${adding === 1 ? '' : 's'}, but your practice has ${n(current)} of its ${n(quota)}-patient quota in use. ` +
        'Nothing was imported. Remove some patients from the file or ask Ledgerport to raise your quota.',
    );
  }
}
