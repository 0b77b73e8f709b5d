import type { ClaimEvent, ClaimState } from '@ledgerport/api-client';
import type { AppContext, View } from '../context';
import { h } from '../dom';
import { formatDate, formatMoney, formatWhen } from '../format';
import { links } from '../router';
import { dataTable } from '../ui';
import { onceView } from './form-bits';

const EVENT_WORDS: Record<string, string> = {
  created: 'Created',
  changed: 'Changed',
  resolved: 'Resolved (no longer on the report)',
  reopened: 'Reopened (on the report again)',
};

/** What differs between before and after, in words: "Balance $10.00 → $12.00". */
export function differences(before: ClaimState | null, after: ClaimState): string {
  if (!before) return `Balance ${formatMoney(after.balanceCents)}${after.payer ? `, ${after.payer}` : ''}, seen ${formatDate(after.dateOfService)}`;
  const out: string[] = [];
  if (before.balanceCents !== after.balanceCents) out.push(`Balance ${formatMoney(before.balanceCents)} → ${formatMoney(after.balanceCents)}`);
  if (before.billedCents !== after.billedCents)
    out.push(`Billed ${before.billedCents === null ? '—' : formatMoney(before.billedCents)} → ${after.billedCents === null ? '—' : formatMoney(after.billedCents)}`);
  if (before.payer !== after.payer) out.push(`Payer ${before.payer ?? '—'} → ${after.payer ?? '—'}`);
  if (before.dateOfService !== after.dateOfService) out.push(`Date of service ${formatDate(before.dateOfService)} → ${formatDate(after.dateOfService)}`);
  if (!out.length) out.push(`Balance ${formatMoney(after.balanceCents)}, unchanged`);
  return out.join('; ');
}

/** One claim, where it stands, and every import that created, changed, resolved or reopened it. */
export function claimPage(ctx: AppContext, id: number): View {
  const body = h('div');
  const element = h('div', null, h('p', { class: 'crumbs' }, h('a', { href: links.receivables() }, '‹ Receivables')), body);
  return onceView(element, body, async () => {
    const { claim: c, history } = await ctx.api.claim(id);
    const row = (e: ClaimEvent) => [
      EVENT_WORDS[e.event] ?? e.event,
      h('a', { href: links.import(e.importId) }, e.fileName),
      e.at ? formatWhen(e.at) : '—',
      differences(e.before, e.after),
    ];
    return [
      h('h1', { tabindex: -1 }, `Claim ${c.claimNumber ?? c.id}`),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'claim-now' },
        h('h2', { id: 'claim-now' }, c.resolvedAt ? 'Resolved' : 'Open'),
        h(
          'dl',
          { class: 'facts' },
          [
            ['Patient', `${c.patientName}${c.patientAccount ? ` (${c.patientAccount})` : ''}`],
            ['Location', c.location ?? '—'],
            ['Payer', c.payer ?? '—'],
            ['Date of service', formatDate(c.dateOfService)],
            ['Billed', c.billedCents === null ? '—' : formatMoney(c.billedCents)],
            ['Balance', formatMoney(c.balanceCents)],
            ['Aging', c.agingBucket ?? '—'],
            ['Resolved', c.resolvedAt ? formatWhen(c.resolvedAt) : 'No'],
          ].map(([t, d]) => [h('dt', null, t), h('dd', null, d)]),
        ),
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'claim-history' },
        h('h2', { id: 'claim-history' }, 'History'),
        history.length
          ? dataTable('What each import did to this claim, oldest first', ['What', 'Import', 'When', 'Before → after'], history.map(row))
          : h('p', { class: 'empty' }, 'No import history is kept for this claim.'),
      ),
    ];
  });
}
