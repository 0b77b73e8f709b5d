import type { PatientAccount, PatientListItem } from '@ledgerport/api-client';
import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, render, type Child } from '../dom';
import { formatDate, formatMoney, formatWhen, plural } from '../format';
import { links } from '../router';
import { dataTable, notice, pager } from '../ui';
import { field, onceView } from './form-bits';

const PAGE_SIZE = 50;
const SOURCE_WORDS: Record<string, string> = {
  import: 'Imported',
  manual: 'Entered by hand',
  refund: 'Refund kept as credit',
};

/** Find a patient by name or account number. */
export function patientsPage(ctx: AppContext): View {
  let page = 1;
  let search = '';
  let loaded = false;
  const results = h('section', { class: 'panel', 'aria-labelledby': 'patients-title' });
  const input = h('input', { type: 'search', name: 'search', autocomplete: 'off', maxlength: 100 });
  const load = async () => {
    try {
      const r = await ctx.api.patients({ search: search || undefined, page, pageSize: PAGE_SIZE });
      const rows = r.items.map((p: PatientListItem) => [
        h('a', { href: links.patient(p.id), 'data-key': `patient-${p.id}` }, `${p.lastName}, ${p.firstName}`),
        p.externalAccount,
        p.dateOfBirth ? formatDate(p.dateOfBirth) : '—',
        p.active ? 'Active' : 'Inactive',
      ]);
      render(
        results,
        h('h2', { id: 'patients-title' }, plural(r.total, 'patient')),
        r.total
          ? dataTable('Patients', ['Name', 'Account', 'Date of birth', 'Status'], rows, { captionHidden: true })
          : h('p', { class: 'empty' }, search ? 'No patient matches.' : 'No patients yet: import a patients file.'),
        pager({
          page,
          pageSize: PAGE_SIZE,
          total: r.total,
          label: 'Pages of patients',
          keyPrefix: 'patients',
          onPage: (p) => ((page = p), void load()),
        }),
      );
    } catch (e) {
      render(results, h('h2', { id: 'patients-title' }, 'Patients'), notice('error', errorMessage(e)));
    }
  };
  const form = h(
    'form',
    {
      class: 'panel',
      role: 'search',
      'aria-label': 'Find a patient',
      onsubmit: (e: Event) => (e.preventDefault(), (search = input.value.trim()), (page = 1), void load()),
    },
    h('div', { class: 'fields' }, field('Name or account number', input)),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', 'data-key': 'find-patients' }, 'Find'),
    ),
  );
  return {
    element: h('div', null, h('h1', { tabindex: -1 }, 'Patients'), form, results),
    async refresh() {
      if (!loaded) {
        loaded = true;
        await load();
      }
      return false;
    },
  };
}

/** A panel of the patient page: its heading, then its table, or a line saying there is nothing yet. */
function tableSection(
  id: string,
  title: string,
  caption: string,
  columns: string[],
  rows: Child[][],
  empty: string,
  wide = false,
): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': id },
    h('h2', { id }, title),
    rows.length ? dataTable(caption, columns, rows, { captionHidden: true, wide }) : h('p', { class: 'empty' }, empty),
  );
}

/** One patient's account: claims, credits (used ones too), the credits applied to claims and refunds. */
export function patientPage(ctx: AppContext, id: string): View {
  const body = h('div');
  const element = h('div', null, h('p', { class: 'crumbs' }, h('a', { href: links.patients }, '‹ Patients')), body);
  return onceView(element, body, async () => {
    const a: PatientAccount = await ctx.api.patient(id);
    const p = a.patient;
    return [
      h('h1', { tabindex: -1 }, `${p.lastName}, ${p.firstName}`),
      h(
        'div',
        { class: 'tiles' },
        h('div', { class: 'tile' }, h('span', { class: 'n' }, p.externalAccount), h('span', { class: 'l' }, 'account')),
        h(
          'div',
          { class: 'tile' },
          h('span', { class: 'n', 'data-testid': 'patient-owes' }, formatMoney(a.openBalanceCents)),
          h('span', { class: 'l' }, 'open balance'),
        ),
        h(
          'div',
          { class: 'tile' },
          h('span', { class: 'n', 'data-testid': 'patient-credit' }, formatMoney(a.creditAvailableCents)),
          h('span', { class: 'l' }, 'credit available'),
        ),
        h(
          'div',
          { class: 'tile' },
          h('span', { class: 'n' }, formatMoney(a.appliedCents)),
          h('span', { class: 'l' }, 'credits applied'),
        ),
      ),
      tableSection(
        'pt-claims',
        'Claims',
        'Claims, newest first',
        ['Claim', 'Kind', 'Location', 'Payer', 'Date of service', 'Balance', 'Status'],
        a.claims.map((c) => [
          h('a', { href: links.claim(c.id) }, c.claimNumber ?? `Claim ${c.id}`),
          c.type === 'BF' ? 'Balance Forward' : 'Insurance',
          c.location ?? '—',
          c.payer ?? '—',
          formatDate(c.dateOfService),
          h('span', { class: 'money' }, formatMoney(c.balanceCents)),
          c.resolvedAt ? 'Resolved' : 'Open',
        ]),
        'No claims on this account.',
        true,
      ),
      tableSection(
        'pt-credits',
        'Credits',
        'Credits, oldest first',
        ['Added', 'From', 'Amount', 'Left', 'Note'],
        a.credits.map((c) => [
          formatWhen(c.createdAt),
          SOURCE_WORDS[c.source] ?? c.source,
          h('span', { class: 'money' }, formatMoney(c.amountCents)),
          h('span', { class: 'money' }, formatMoney(c.remainingCents)),
          c.description ?? '—',
        ]),
        'No credits.',
      ),
      tableSection(
        'pt-payments',
        'Payments and refunds',
        'Credits applied and refunds, newest first',
        ['When', 'What', 'Claim', 'Amount', 'By'],
        a.payments.map((x) => [
          formatWhen(x.at),
          x.kind === 'applied_credit' ? 'Credit applied' : x.asCredit ? 'Refund kept as credit' : 'Refund',
          h('a', { href: links.claim(x.claimId) }, x.claimNumber ?? `Claim ${x.claimId}`),
          h('span', { class: 'money' }, formatMoney(x.amountCents)),
          x.by ?? '—',
        ]),
        'No credits applied and no refunds yet.',
      ),
    ];
  });
}
