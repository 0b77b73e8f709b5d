import type { AppContext } from '../context';
import { h, type Child } from '../dom';
import { formatCount, formatDate, formatMoney } from '../format';
import type { ClaimToResolve, ImportView, Page, Preview, Review } from '../types';
import { dataTable, pager } from '../ui';
import { claimsText, reviewHeadline } from '../wording';
import { facts, PREVIEW_COUNTS, tiles } from './import-summary';

export const REVIEW_PAGE_SIZE = 25;

/**
 * A `ready` aging import that would close many claims, or that has unreadable rows and would close
 * any: never shown as an ordinary preview. What it would close (count, money, the claims themselves)
 * comes first; only an administrator gets Save, and the button says what Save does.
 */
export function reviewPanel(
  ctx: Pick<AppContext, 'isAdmin'>,
  v: ImportView & { review: Review },
  opts: {
    preview: Preview | null | 'none';
    claims: Page<ClaimToResolve> | null;
    claimsPage: number;
    onClaimsPage: (page: number) => void;
    onSave: () => void;
    onDiscard: () => void;
  },
): HTMLElement {
  const r = v.review;
  const claims = opts.claims;
  const counts = opts.preview && opts.preview !== 'none' ? opts.preview.counts : null;
  const actions: Child[] = ctx.isAdmin
    ? [
        h(
          'button',
          { type: 'button', class: 'primary', 'data-key': 'save-review', onclick: opts.onSave },
          'Save and close these claims',
        ),
        h('button', { type: 'button', 'data-key': 'discard', onclick: opts.onDiscard }, 'Discard'),
      ]
    : [h('button', { type: 'button', 'data-key': 'discard', onclick: opts.onDiscard }, 'Discard')];
  return h(
    'section',
    { class: 'panel review', 'aria-labelledby': 'review-title' },
    h('h2', { id: 'review-title' }, 'Nothing is saved yet: this file needs an administrator'),
    h('p', { class: 'headline' }, reviewHeadline(v)),
    h('p', { class: 'review-message' }, r.message),
    facts([
      ['Open claims it would close', formatCount(r.claimsToResolve)],
      ['Their balance', formatMoney(r.centsToResolve)],
      [`Open claims of ${v.location?.name ?? 'the location'} now`, formatCount(r.openClaims)],
      ['Rows read and checked', formatCount(v.rowsAccepted)],
      ['Rows that could not be read', v.rowsRejected ? formatCount(v.rowsRejected) : null],
    ]),
    ctx.isAdmin
      ? h(
          'p',
          { class: 'muted' },
          `Save applies the file and marks the ${claimsText(r.claimsToResolve)} listed below as resolved, as if paid. ` +
            'If the report was cut short, filtered or is for another location, discard it and upload the right one.',
        )
      : h(
          'p',
          { class: 'staff-note' },
          h('strong', null, 'An administrator of your practice must save this file.'),
          ' Nothing from it is applied until then. Ask one to review the claims below, or discard it and upload the right report.',
        ),
    h('div', { class: 'actions' }, actions),
    counts ? [h('h3', null, 'The rest of the file, once saved'), tiles(counts, PREVIEW_COUNTS)] : null,
    h(
      'h3',
      { id: 'review-claims-title' },
      claims
        ? `The claims it would close (${formatCount(claims.total)}), largest balance first`
        : 'The claims it would close',
    ),
    !claims
      ? h('p', null, 'Loading the claims…')
      : claims.total === 0
        ? h('p', { class: 'empty' }, 'No open claim would be closed any more: another file changed them since.')
        : [
            dataTable(
              'Claims this file would close',
              ['Claim', 'Patient', 'Account', 'Payer', 'Date of service', 'Balance'],
              claims.items.map((c) => [
                c.claimNumber ?? '—',
                c.patientName,
                c.patientAccount ?? '—',
                c.payer ?? 'Self-pay',
                formatDate(c.dateOfService),
                h('span', { class: 'money' }, formatMoney(c.balanceCents)),
              ]),
              { captionHidden: true, wide: true },
            ),
            pager({
              page: opts.claimsPage,
              pageSize: REVIEW_PAGE_SIZE,
              total: claims.total,
              label: 'Pages of claims to close',
              keyPrefix: 'review-claims',
              onPage: opts.onClaimsPage,
            }),
          ],
  );
}
