import { detectLayout } from '../aging/detect-layout.js';
import type { AgingFileType } from '../aging/profile.js';
import { cleanText } from '../normalize.js';
import type { PatientKind } from './kinds.js';

const WHAT: Record<PatientKind, string> = {
  patients: 'patients',
  patient_balances: 'patient balances',
  patient_credits: 'patient credits',
};

/**
 * A patient-kind upload that is an insurance aging report: refused, with what it looks like. Its
 * "Patient Account" and "Balance" columns would otherwise read as a balances file and add each
 * patient's insurance balance a second time, as a Balance Forward claim. A report is recognised the
 * way an aging upload is, and only when it names a payer and a date of service, which no patient file
 * has. Null when the file is not one.
 */
export function agingReportUploadedAs(
  kind: PatientKind,
  firstRows: string[][],
  fileType: AgingFileType,
  today: string,
): string | null {
  const det = detectLayout(firstRows, { fileType, today });
  if (!det.ok) return null;
  const { columns } = det.value.mapping;
  if (columns.payer === undefined || columns.dateOfService === undefined) return null;
  const header = firstRows[det.value.headerIndex] ?? [];
  const named = [columns.payer, columns.dateOfService].map((i) => `"${cleanText(header[i] ?? '')}"`).join(' and ');
  const system = det.value.profile.id === 'generic' ? '' : ` from ${det.value.profile.system}`;
  return (
    `This file looks like an insurance aging report${system} (it has ${named} columns), not a file of ${WHAT[kind]}. ` +
    'Nothing was imported. Upload it as an insurance aging file for its location, or choose the file of the kind you meant.'
  );
}
