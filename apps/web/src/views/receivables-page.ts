import { AGING_BUCKETS, type AgingBucket, type ClaimFilter, type ClaimStatusFilter, type ClaimsPage, type ClaimTotals, type Payer } from '@ledgerport/api-client';
import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, render } from '../dom';
import { formatCount, formatDate, formatMoney, plural } from '../format';
import { links } from '../router';
import { dataTable, notice, pager } from '../ui';
import { field, select } from './form-bits';

const PAGE_SIZE = 50;

/** A location's claims: filtered, totalled by aging bucket and payer, exported, each opening its history. */
export function receivablesPage(ctx: AppContext, locationId?: string): View {
  let page = 1;
  let filter: ClaimFilter = { status: 'open' };
  let payers: Payer[] = [];
  let loaded = false;
  const message = h('div', { class: 'form-message' });
  const totalsRegion = h('section', { class: 'panel', 'aria-labelledby': 'totals-title' });
  const listRegion = h('section', { class: 'panel', 'aria-labelledby': 'claims-title' });

  const locationSelect = select(
    'location',
    ctx.locations.map((l) => [l.id, l.name]),
    locationId ?? ctx.locations[0]?.id ?? '',
  );
  const statusSelect = select(
    'status',
    [
      ['open', 'Open'],
      ['resolved', 'Resolved'],
      ['all', 'All'],
    ],
    'open',
  );
  const payerSelect = select('payer', [['', 'Any payer']]);
  const bucketSelect = select('bucket', [['', 'Any age'], ...AGING_BUCKETS.map((b): [string, string] => [b, `${b} days`])]);
  const fromInput = h('input', { type: 'date', name: 'from' });
  const toInput = h('input', { type: 'date', name: 'to' });
  const searchInput = h('input', { type: 'search', name: 'search', autocomplete: 'off', maxlength: 100 });

  const readFilter = (): ClaimFilter => ({
    status: statusSelect.value as ClaimStatusFilter,
    payerId: payerSelect.value ? Number(payerSelect.value) : undefined,
    bucket: (bucketSelect.value || undefined) as AgingBucket | undefined,
    from: fromInput.value || undefined,
    to: toInput.value || undefined,
    search: searchInput.value.trim() || undefined,
  });

  const download = async () => {
    try {
      const name = await ctx.api.download(ctx.api.claimsCsv(locationSelect.value, filter), 'claims.csv');
      render(message, notice('success', `${name} was downloaded.`));
      ctx.announce(`${name} was downloaded.`);
    } catch (e) {
      render(message, notice('error', errorMessage(e)));
    }
  };

  const filters = h(
    'form',
    {
      class: 'panel',
      role: 'search',
      'aria-label': 'Find claims',
      onsubmit: (e: Event) => {
        e.preventDefault();
        filter = readFilter();
        page = 1;
        void load();
      },
    },
    h(
      'div',
      { class: 'fields' },
      field('Location', locationSelect),
      field('Status', statusSelect),
      field('Payer', payerSelect),
      field('Aging', bucketSelect),
      field('Seen from', fromInput),
      field('Seen to', toInput),
      field('Patient or claim number', searchInput, 'Part of a name, an account or a claim number.'),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', 'data-key': 'find-claims' }, 'Show claims'),
      h('button', { type: 'button', 'data-key': 'claims-csv', onclick: () => void download() }, 'Download CSV'),
    ),
  );
  locationSelect.addEventListener('change', () => {
    filter = readFilter();
    page = 1;
    void load();
  });

  const element = h('div', null, h('h1', { tabindex: -1 }, 'Receivables'), filters, message, totalsRegion, listRegion);

  function showTotals(t: ClaimTotals): void {
    render(
      totalsRegion,
      h('h2', { id: 'totals-title' }, `Open at ${t.location.name}`),
      h(
        'div',
        { class: 'tiles' },
        h('div', { class: 'tile' }, h('span', { class: 'n' }, formatCount(t.claims)), h('span', { class: 'l' }, 'open claims')),
        h('div', { class: 'tile' }, h('span', { class: 'n', 'data-testid': 'open-balance' }, formatMoney(t.balanceCents)), h('span', { class: 'l' }, 'open balance')),
      ),
      t.claims === 0
        ? h('p', { class: 'empty' }, 'No open claims at this location.')
        : h(
            'div',
            { class: 'split' },
            dataTable(
              'Open claims by aging bucket',
              ['Aging', 'Claims', 'Balance'],
              t.byBucket.map((b) => [b.bucket ? `${b.bucket} days` : 'Not aged', formatCount(b.claims), h('span', { class: 'money' }, formatMoney(b.balanceCents))]),
            ),
            dataTable(
              'Open claims by payer',
              ['Payer', 'Claims', 'Balance'],
              t.byPayer.map((p) => [p.payer, formatCount(p.claims), h('span', { class: 'money' }, formatMoney(p.balanceCents))]),
            ),
          ),
    );
  }

  function showClaims(c: ClaimsPage): void {
    const rows = c.items.map((x) => [
      h('a', { href: links.claim(x.id), 'data-key': `claim-${x.id}` }, x.claimNumber ?? `Claim ${x.id}`),
      h('span', null, x.patientName, x.patientAccount ? h('span', { class: 'muted' }, ` · ${x.patientAccount}`) : null),
      x.payer ?? '—',
      formatDate(x.dateOfService),
      h('span', { class: 'money' }, x.billedCents === null ? '—' : formatMoney(x.billedCents)),
      h('span', { class: 'money' }, formatMoney(x.balanceCents)),
      x.agingBucket ?? '—',
      x.resolvedAt ? `Resolved ${formatDate(x.resolvedAt.slice(0, 10))}` : 'Open',
    ]);
    render(
      listRegion,
      h('h2', { id: 'claims-title' }, 'Claims'),
      h('p', { 'data-testid': 'claims-found' }, `${plural(c.total, 'claim')} found, ${formatMoney(c.balanceCents)} in all.`),
      c.total === 0
        ? h('p', { class: 'empty' }, 'No claims match. Try fewer filters.')
        : dataTable('Claims, oldest date of service first', ['Claim', 'Patient', 'Payer', 'Date of service', 'Billed', 'Balance', 'Aging', 'Status'], rows, { wide: true }),
      pager({
        page,
        pageSize: PAGE_SIZE,
        total: c.total,
        label: 'Pages of claims',
        keyPrefix: 'claims',
        onPage: (p) => {
          page = p;
          void load();
        },
      }),
    );
  }

  async function load(): Promise<void> {
    const loc = locationSelect.value;
    if (!loc) {
      render(listRegion, notice('info', 'Your practice has no locations yet.'));
      return;
    }
    try {
      const [t, c] = await Promise.all([ctx.api.claimTotals(loc), ctx.api.claims(loc, { ...filter, page, pageSize: PAGE_SIZE })]);
      render(message);
      showTotals(t);
      showClaims(c);
    } catch (e) {
      render(message, notice('error', errorMessage(e)));
    }
  }

  return {
    element,
    async refresh() {
      if (loaded) return false;
      loaded = true;
      try {
        // Archived locations take no uploads, but their claims are still the practice's to look at.
        const chosen = locationSelect.value || locationId;
        const all = await ctx.api.allLocations();
        render(
          locationSelect,
          all.map((l) => h('option', { value: l.id, selected: l.id === chosen }, l.archivedAt ? `${l.name} (archived)` : l.name)),
        );
      } catch {
        // the active locations the page started with stay
      }
      try {
        payers = await ctx.api.payers();
        render(payerSelect, h('option', { value: '' }, 'Any payer'), payers.map((p) => h('option', { value: String(p.id) }, p.name)));
      } catch {
        // the list still works without the payer filter; load() says what is wrong
      }
      await load();
      return false;
    },
  };
}
