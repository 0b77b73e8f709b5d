import { createHash } from 'node:crypto';
import { cleanText } from '../normalize.js';

export interface ClaimKeyInput {
  claimNumber: string | null;
  patientAccount: string | null;
  patientName: string;
  dateOfBirth: string | null;
  payerKey: string;
  dateOfService: string;
  billedCents: number | null;
}

// Spacing and punctuation in a name vary between exports of the same claim ("Rivera,Ana" vs "RIVERA, ANA").
function personKey(name: string): string {
  return cleanText(name)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The upsert key of an aging claim. Without a claim number, the claim is identified by who, which
 * payer, when and how much: the same claim in tomorrow's file must get the same key, so this
 * format must never change (every stored claim of such a location would look new).
 */
export function claimKey(row: ClaimKeyInput): string {
  const claimNumber = row.claimNumber === null ? '' : cleanText(row.claimNumber);
  if (claimNumber !== '') return claimNumber;

  const account = row.patientAccount === null ? '' : cleanText(row.patientAccount);
  const patient = account !== '' ? `a:${account}` : `n:${personKey(row.patientName)}:${row.dateOfBirth ?? ''}`;
  const billed = row.billedCents === null ? '' : String(row.billedCents);
  const material = [patient, row.payerKey, row.dateOfService, billed].join('|');
  return `h:${createHash('sha256').update(material, 'utf8').digest('hex').slice(0, 32)}`;
}
