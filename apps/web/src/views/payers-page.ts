import type { Payer } from '@ledgerport/api-client';
import type { AppContext, View } from '../context';
import { h, uid } from '../dom';
import { formatCount, formatMoney } from '../format';
import { dataTable } from '../ui';
import { act, field, onceView, select } from './form-bits';

/** The practice's payers: status, claims and open balance; administrators change a status and merge two that are one. */
export function payersPage(ctx: AppContext): View {
  const body = h('div');
  const message = h('div', { class: 'form-message' });
  const element = h('div', null, h('h1', { tabindex: -1 }, 'Payers'), message, body);

  const change = async (what: () => Promise<string>) => {
    await act(message, (t) => ctx.announce(t), what, () => view.reload());
  };

  const statusControl = (p: Payer) => {
    if (!ctx.isAdmin) return p.status;
    const next = p.status === 'Active' ? 'Inactive' : 'Active';
    return h(
      'span',
      null,
      p.status,
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          'data-key': `status-${p.id}`,
          'aria-label': `Mark ${next.toLowerCase()}: ${p.name}`,
          onclick: () =>
            void change(async () => {
              const saved = await ctx.api.setPayerStatus(p.id, next);
              return `${saved.name} is now ${saved.status.toLowerCase()}.`;
            }),
        },
        `Mark ${next.toLowerCase()}`,
      ),
    );
  };

  const mergeForm = (payers: Payer[]) => {
    const options = payers.map((p): [string, string] => [String(p.id), p.name]);
    const from = select('from', [['', 'Choose a payer…'], ...options]);
    const into = select('into', [['', 'Choose a payer…'], ...options]);
    const titleId = uid('merge');
    return h(
      'form',
      {
        class: 'panel',
        'aria-labelledby': titleId,
        onsubmit: (e: Event) => {
          e.preventDefault();
          const a = payers.find((p) => String(p.id) === from.value);
          const b = payers.find((p) => String(p.id) === into.value);
          if (!a || !b) {
            void change(async () => Promise.reject(new Error('Choose both payers.')));
            return;
          }
          if (!window.confirm(`Merge ${a.name} into ${b.name}? Its ${formatCount(a.claims)} claims move to ${b.name}, and later files naming ${a.name} will mean ${b.name}. This cannot be undone here.`)) return;
          void change(async () => {
            const m = await ctx.api.mergePayer(a.id, b.id);
            return `${a.name} was merged into ${b.name}: ${formatCount(m.claimsMoved)} claims moved.`;
          });
        },
      },
      h('h2', { id: titleId }, 'Merge two payers that are the same'),
      h(
        'div',
        { class: 'fields' },
        field('Payer to merge away', from, 'Its claims move, and it leaves the list.'),
        field('Into', into, 'The payer that stays.'),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger', 'data-key': 'merge-payers' }, 'Merge payers')),
    );
  };

  const view = onceView(element, body, async () => {
    const payers = await ctx.api.payers();
    const rows = payers.map((p) => [
      h('strong', null, p.name),
      p.kind === 'self_pay' ? 'Self-pay' : 'Insurance',
      statusControl(p),
      formatCount(p.claims),
      formatCount(p.openClaims),
      h('span', { class: 'money' }, formatMoney(p.openBalanceCents)),
    ]);
    return [
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'payer-list' },
        h('h2', { id: 'payer-list' }, 'All payers'),
        payers.length
          ? dataTable('Payers', ['Payer', 'Kind', 'Status', 'Claims', 'Open claims', 'Open balance'], rows, { captionHidden: true })
          : h('p', { class: 'empty' }, 'No payers yet: they are added as aging files name them.'),
      ),
      ctx.isAdmin && payers.length > 1 ? mergeForm(payers) : null,
    ];
  });
  return view;
}
