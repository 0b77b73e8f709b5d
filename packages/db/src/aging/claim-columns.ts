/**
 * The nine figures of a claim that an aging file carries: what a merge compares to decide new /
 * updated / unchanged, overwrites, and keeps a before-image of (claim_versions), and what an undo
 * puts back. Written once here; the SQL of merge.ts and undo.ts is built from it when the module
 * loads (fixed names, never input).
 */
export const CLAIM_FIGURES = [
  'claim_number',
  'patient_name',
  'patient_account',
  'date_of_birth',
  'payer_id',
  'date_of_service',
  'billed_cents',
  'balance_cents',
  'aging_bucket',
] as const;

/** `a.claim_number, a.patient_name, …` (or the bare names without `alias`). */
export function claimFigures(alias?: string): string {
  return CLAIM_FIGURES.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');
}

/** `claim_number = a.claim_number, …`: an UPDATE's SET (or ON CONFLICT's) taking every figure from `alias`. */
export function setClaimFiguresFrom(alias: string): string {
  return CLAIM_FIGURES.map((c) => `${c} = ${alias}.${c}`).join(', ');
}
