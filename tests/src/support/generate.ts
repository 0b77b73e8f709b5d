// Deterministic aging files of any size for tests and the benchmark.
const PAYERS = ['Aetna', 'Blue Cross Blue Shield', 'Cigna', 'Humana', 'Medicare Part B', 'UnitedHealthcare', 'VSP Vision Care', 'EyeMed'];

export interface GenOptions {
  rows: number;
  seed?: number;
  /** rows whose balance differs from the seed's (for re-imports) */
  changeEvery?: number;
  /** rows left out (claims that were paid since) */
  dropEvery?: number;
  startAt?: number;
  payers?: string[];
}

export const AGING_HEADER = 'Claim Number,Patient Account,Patient Name,Date of Birth,Payer,Date of Service,Billed Amount,Balance';

/**
 * What re-importing the file `o` describes gives, over the plain file of the same rows (no changes,
 * nothing dropped) applied before it: the dropped rows resolved, the changed ones updated.
 */
export function reimportSummary(o: GenOptions) {
  const start = o.startAt ?? 1;
  let resolved = 0;
  let updated = 0;
  for (let i = start; i < start + o.rows; i++) {
    if (o.dropEvery && i % o.dropEvery === 0) resolved++;
    else if (o.changeEvery && i % o.changeEvery === 0) updated++;
  }
  return { claimsNew: 0, claimsUpdated: updated, claimsUnchanged: o.rows - resolved - updated, claimsResolved: resolved };
}

export function generateAgingCsv(o: GenOptions): string {
  return [AGING_HEADER, ...agingLines(o)].join('\n') + '\n';
}

/** What the rows of a generated file owe, in cents (the Balance column): an import of all of it applies this. */
export function balanceCentsOf(csv: string): number {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .reduce((sum, l) => sum + Math.round(Number(l.slice(l.lastIndexOf(',') + 1)) * 100), 0);
}

/** The rows alone, lazily: a million-row file is written without holding it in memory. */
export function* agingLines(o: GenOptions): Generator<string> {
  const payers = o.payers ?? PAYERS;
  const start = o.startAt ?? 1;
  for (let i = start; i < start + o.rows; i++) {
    if (o.dropEvery && i % o.dropEvery === 0) continue;
    const billed = 5000 + ((i * 7919) % 200000);
    let balance = Math.floor(billed / 2) + (i % 13);
    if (o.changeEvery && i % o.changeEvery === 0) balance += 100;
    const month = 1 + (i % 10);
    const day = 1 + (i % 28);
    yield `C-${String(i).padStart(8, '0')},A${100000 + i},"Patient${i}, Test",0${1 + (i % 9)}/1${i % 9}/19${50 + (i % 50)},${payers[i % payers.length]},${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/2026,${(billed / 100).toFixed(2)},${(balance / 100).toFixed(2)}`;
  }
}
