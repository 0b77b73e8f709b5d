import { h, type Child } from '../dom';
import { formatCount, formatMoney, humanize } from '../format';
import type { ImportView, Preview } from '../types';
import { dataTable, notice } from '../ui';

type Labels = Array<[key: string, label: string]>;

const AGING_TILES: Labels = [
  ['claimsNew', 'New claims'],
  ['claimsUpdated', 'Updated'],
  ['claimsUnchanged', 'Unchanged'],
  ['claimsResolved', 'Resolved (paid since)'],
  ['payersCreated', 'New payers'],
];

const ROW_TILES: Labels = [
  ['rowsNew', 'New'],
  ['rowsUpdated', 'Updated'],
  ['rowsUnchanged', 'Already there'],
  ['skippedInactive', 'Inactive, skipped'],
  ['creditBalances', 'Credit balances'],
];

const PREVIEW_COUNTS: Labels = [
  ['new', 'New'],
  ['updated', 'Updated'],
  ['unchanged', 'Unchanged'],
  ['rejected', 'Rejected rows'],
  ['warnings', 'Warnings'],
  ['skippedInactive', 'Inactive, skipped'],
];

const TOTAL_LABELS: Record<string, string> = {
  rows: 'Rows to save',
  balanceCents: 'Balance',
  claimsToResolve: 'Open claims not in this file (will be resolved)',
  creditBalances: 'Credit balances',
  creditBalanceCents: 'Credit balances total',
  creditCents: 'Credit total',
};

// Staged rows come back with their keys in no useful order; this is the order a person reads them in.
const COLUMN_ORDER = [
  'rowNumber',
  'claimNumber',
  'account',
  'patientAccount',
  'lastName',
  'firstName',
  'patientName',
  'dateOfBirth',
  'sex',
  'payer',
  'dateOfService',
  'billedCents',
  'balanceCents',
  'balance',
  'amount',
  'reference',
  'description',
  'active',
  'phone',
  'email',
  'address',
  'city',
  'state',
  'zip',
];
const COLUMN_LABELS: Record<string, string> = {
  rowNumber: 'Row',
  billedCents: 'Billed',
  balanceCents: 'Balance',
  account: 'Account',
};

function orderColumns(keys: string[]): string[] {
  const rank = (k: string) => (COLUMN_ORDER.includes(k) ? COLUMN_ORDER.indexOf(k) : COLUMN_ORDER.length);
  return [...keys].sort((a, b) => rank(a) - rank(b));
}

const num = (v: unknown): number | null =>
  v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);

function tiles(
  values: Partial<Record<string, unknown>>,
  labels: Labels,
  extra: Array<[string, number]> = [],
): HTMLElement {
  const shown = labels.flatMap(([k, label]) => {
    const n = num(values[k]);
    return n === null ? [] : [[label, n] as [string, number]];
  });
  return h(
    'div',
    { class: 'tiles' },
    [...shown, ...extra].map(([label, n]) =>
      h('div', { class: 'tile' }, h('span', { class: 'n' }, formatCount(n)), h('span', { class: 'l' }, label)),
    ),
  );
}

export function facts(pairs: Array<[string, Child]>): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs
      .filter(([, v]) => v !== null && v !== '' && v !== undefined)
      .map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))),
  );
}

/** Money is in cents: keys named …Cents, and the patient kinds' staged balance and amount. */
function isMoney(kind: string, key: string): boolean {
  return /cents$/i.test(key) || (kind !== 'aging' && (key === 'balance' || key === 'amount'));
}

function cell(kind: string, key: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (isMoney(kind, key) && num(value) !== null) return formatMoney(Number(value));
  return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
}

/** What a finished import changed, and the reconciliation staff read to trust it. */
export function summarySection(v: ImportView): HTMLElement | null {
  const s = v.summary;
  if (!s) return null;
  const r = v.reconciliation;
  const aging = v.kind === 'aging';
  const inFile = num(r ? r.amountCentsInFile : aging ? s.balanceCentsInFile : s.amountCentsInFile);
  const applied = num(r ? r.amountCentsApplied : aging ? s.balanceCentsApplied : s.amountCentsApplied);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'summary-title' },
    h('h2', { id: 'summary-title' }, 'What this import changed'),
    tiles(s, aging ? AGING_TILES : ROW_TILES, [['Rows rejected', v.rowsRejected]]),
    h('h3', null, 'Reconciliation'),
    facts([
      ['Rows in the file', formatCount(r?.rowsInFile ?? v.rowsRead)],
      ['Rows applied', formatCount(r?.rowsApplied ?? v.rowsCommitted)],
      ['Rows rejected', formatCount(v.rowsRejected)],
      ['Repeated rows', num(s.duplicateRows) ? formatCount(Number(s.duplicateRows)) : null],
      [aging ? 'Balance in the file' : 'Amount in the file', inFile === null ? null : formatMoney(inFile)],
      [aging ? 'Balance applied' : 'Amount applied', applied === null ? null : formatMoney(applied)],
    ]),
    r
      ? h('p', { class: r.matches ? 'ok' : 'warn' }, r.message)
      : inFile !== null && applied !== null && inFile !== applied
        ? h(
            'p',
            { class: 'warn' },
            `${formatMoney(inFile - applied)} of the file was not applied: it is on the rejected rows below.`,
          )
        : null,
  );
}

/** A staged import waiting for review: what Save would do, a sample of the rows, Save and Discard. */
export function previewSection(
  v: ImportView,
  preview: Preview | null | 'none',
  act: (what: 'commit' | 'discard') => void,
): HTMLElement {
  const body: Child[] = [];
  if (preview === 'none') {
    body.push(
      h(
        'p',
        null,
        `${formatCount(v.rowsAccepted)} rows were read and checked. This server cannot show a preview of them yet.`,
      ),
    );
  } else if (preview) {
    body.push(tiles(preview.counts, PREVIEW_COUNTS));
    const totals = Object.entries(preview.totals ?? {}).filter(([, n]) => num(n) !== null);
    if (totals.length)
      body.push(
        facts(
          totals.map(([k, n]) => [
            TOTAL_LABELS[k] ?? humanize(k),
            isMoney(v.kind, k) ? formatMoney(Number(n)) : formatCount(Number(n)),
          ]),
        ),
      );
    const q = preview.quota;
    if (q) {
      const text = `Your practice has ${formatCount(q.current)} patients; saving adds ${formatCount(q.adding)}, and the limit is ${formatCount(q.quota)}.`;
      body.push(
        q.exceeded
          ? notice(
              'error',
              `${text} Saving would go over the limit, so nothing would be saved. Remove patients from the file or ask to raise the limit.`,
            )
          : h('p', { class: 'muted' }, text),
      );
    }
  } else body.push(h('p', null, 'Loading the preview…'));
  const first = preview && preview !== 'none' ? preview.rows[0] : undefined;
  const cols = first ? orderColumns(Object.keys(first)) : [];
  return h(
    'section',
    { class: 'panel preview', 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, 'Preview: nothing is saved yet'),
    ...body,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-key': 'save', onclick: () => act('commit') }, 'Save'),
      h('button', { type: 'button', 'data-key': 'discard', onclick: () => act('discard') }, 'Discard'),
    ),
    first && preview && preview !== 'none'
      ? [
          h('h3', null, `The first ${preview.rows.length} rows`),
          dataTable(
            `The first ${preview.rows.length} rows`,
            cols.map((c) => COLUMN_LABELS[c] ?? humanize(c)),
            preview.rows.map((row) => cols.map((c) => cell(v.kind, c, row[c]))),
            { captionHidden: true, wide: true },
          ),
        ]
      : null,
  );
}
