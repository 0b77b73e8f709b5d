import { h, type Child } from '../dom';
import { formatCount, formatDate, formatFlag, formatMoney, humanize } from '../format';
import type { ImportView, Preview } from '../types';
import { dataTable, notice } from '../ui';
import { keptOpenText } from '../wording';

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

export const PREVIEW_COUNTS: Labels = [
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

export function tiles(
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

function cell(kind: string, key: string, value: unknown): Child {
  if (value === null || value === undefined) return '';
  if (isMoney(kind, key) && num(value) !== null) return h('span', { class: 'money' }, formatMoney(Number(value)));
  if (typeof value === 'boolean') return formatFlag(value);
  if (typeof value === 'number') return key === 'rowNumber' ? formatCount(value) : value.toLocaleString('en-US');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  // What is left of a JSON value: text, or an object or array shown as JSON.
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** What a finished import changed, and the reconciliation staff read to trust it. */
export function summarySection(v: ImportView): HTMLElement | null {
  const s = v.summary;
  if (!s) return null;
  const aging = v.kind === 'aging';
  const keptOpen = num(s.claimsKeptOpen) ?? 0;
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'summary-title' },
    h(
      'h2',
      { id: 'summary-title' },
      v.status === 'reverted' ? 'What this import changed (since reverted)' : 'What this import changed',
    ),
    tiles({ ...s }, aging ? AGING_TILES : ROW_TILES, [
      ['Rows rejected', v.rowsRejected],
      ...(aging && keptOpen > 0 ? [['Kept open (rows rejected)', keptOpen] as [string, number]] : []),
    ]),
    aging && keptOpen > 0 ? h('p', { class: 'kept-open' }, keptOpenText(keptOpen)) : null,
    reconciliationBlock(v),
  );
}

/**
 * Rows and money in the file against what was applied, and against the total the report prints, with
 * a plain yes or no. Every figure is the server's; the page only lays them out.
 */
export function reconciliationBlock(v: ImportView): HTMLElement | null {
  const s: Partial<Record<string, unknown>> = { ...(v.summary ?? {}) };
  const r = v.reconciliation;
  const aging = v.kind === 'aging';
  const inFile = num(r ? r.amountCentsInFile : aging ? s.balanceCentsInFile : s.amountCentsInFile);
  const applied = num(r ? r.amountCentsApplied : aging ? s.balanceCentsApplied : s.amountCentsApplied);
  const notApplied = num(r?.amountCentsNotApplied) ?? (inFile !== null && applied !== null ? inFile - applied : null);
  const unreadable = num(r?.rowsWithUnreadableAmount);
  const printed = num(r?.printedTotalCents);
  const difference = num(r?.differenceFromPrintedTotalCents);
  const mismatchedSubtotals = num(r?.printedSubtotalsMismatched) ?? 0;
  const money = (n: number | null) => (n === null ? null : formatMoney(n));
  return h(
    'div',
    { class: 'reconciliation', role: 'group', 'aria-labelledby': 'reconciliation-title' },
    h('h3', { id: 'reconciliation-title' }, 'Reconciliation'),
    facts([
      ['Rows in the file', formatCount(r?.rowsInFile ?? v.rowsRead)],
      ['Rows applied', formatCount(r?.rowsApplied ?? v.rowsCommitted)],
      ['Rows rejected', formatCount(r?.rowsRejected ?? v.rowsRejected)],
      ['Rows with warnings', formatCount(r?.rowsWarned ?? v.rowsWarned)],
      ['Repeated rows', num(s.duplicateRows) ? formatCount(Number(s.duplicateRows)) : null],
      ['Money in the file', money(inFile)],
      ['Money applied', money(applied)],
      ['Money not applied', money(notApplied)],
      ['Rows whose amount could not be read', unreadable ? formatCount(unreadable) : null],
      ["The report's printed total", money(printed)],
      [
        'Difference from the printed total',
        printed === null || difference === null
          ? null
          : difference === 0
            ? '$0.00 (they match)'
            : `${formatMoney(Math.abs(difference))} ${difference > 0 ? 'more' : 'less'} than the rows add up to`,
      ],
      ['Printed subtotals that do not match', mismatchedSubtotals ? formatCount(mismatchedSubtotals) : null],
      ['Adds up to the file', r ? (r.matches ? 'Yes' : 'No') : null],
    ]),
    r
      ? h('p', { class: `verdict ${r.matches ? 'ok' : 'warn'}` }, r.matches ? '✓ ' : '⚠ ', r.message)
      : inFile !== null && applied !== null && inFile !== applied
        ? h(
            'p',
            { class: 'verdict warn' },
            `${formatMoney(inFile - applied)} of the file was not applied: it is on the rejected rows below.`,
          )
        : null,
  );
}

/** What the import says about the file as a whole: an assumed date order, printed totals that differ. */
export function fileNotices(v: ImportView): HTMLElement | null {
  const list = v.notices ?? [];
  if (!list.length) return null;
  return notice(
    'warning',
    h('strong', null, 'About the whole file'),
    h(
      'ul',
      { class: 'file-notices' },
      list.map((n) => h('li', { 'data-code': n.code }, n.message)),
    ),
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
