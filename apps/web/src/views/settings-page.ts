import type { PracticeSettings, PracticeSettingsChange } from '@ledgerport/api-client';
import type { AppContext, View } from '../context';
import { h, render, uid } from '../dom';
import { formatCount, formatMoney } from '../format';
import { notice } from '../ui';
import { act, field, onceView, select } from './form-bits';

/** "$1,250.50", "1250.5" or "500" → cents; null when it is not an amount. */
export function centsFrom(text: string): number | null {
  const t = text.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...all])];
}

/** The practice's settings, for administrators: its "today", how files import, when a person must look, money limits. */
export function settingsPage(ctx: AppContext): View {
  const body = h('div');
  const element = h('div', null, h('h1', { tabindex: -1 }, 'Practice settings'), body);
  if (!ctx.isAdmin) {
    render(body, notice('info', 'Only a practice administrator can change the settings.'));
    return { element, refresh: () => Promise.resolve(false) };
  }
  // What the last save said, shown in the form drawn again after it (the settings as the API keeps them).
  let saved: string | null = null;
  const view = onceView(element, body, async () => {
    const drawn = form(ctx, await ctx.api.practiceSettings(), async (text) => {
      saved = text;
      await view.reload();
    }, saved);
    saved = null;
    return drawn;
  });
  return view;
}

function form(ctx: AppContext, s: PracticeSettings, redraw: (saved: string) => Promise<void>, saved: string | null): HTMLElement {
  const message = h('div', { class: 'form-message' });
  if (saved) render(message, notice('success', saved));
  const tz = select('timeZone', timeZones(s.timeZone).map((z) => [z, z]), s.timeZone);
  const modes = ctx.kinds.map((k) => {
    const control = select(
      `mode-${k.kind}`,
      [
        ['commit', 'Save at once'],
        ['preview', 'Preview first, then Save'],
      ],
      s.defaultModes[k.kind] ?? k.defaultMode,
    );
    return { kind: k.kind, control, el: field(k.label, control) };
  });
  const number = (name: string, value: number) =>
    h('input', { type: 'number', name, value: String(value), min: 0, step: 1, inputmode: 'numeric', id: uid(name) });
  const percent = number('massResolvePercent', s.massResolvePercent);
  const minClaims = number('massResolveMinClaims', s.massResolveMinClaims);
  const retention = number('retentionDays', s.retentionDays);
  const money = (name: string, cents: number) =>
    h('input', { type: 'text', name, value: formatMoney(cents), inputmode: 'decimal', autocomplete: 'off', id: uid(name) });
  const threshold = money('approvalThreshold', s.approvalThresholdCents);
  const max = money('maxManualAmount', s.maxManualAmountCents);

  const submit = async (e: Event) => {
    e.preventDefault();
    const approvalThresholdCents = centsFrom(threshold.value);
    const maxManualAmountCents = centsFrom(max.value);
    if (approvalThresholdCents === null || maxManualAmountCents === null) {
      render(message, notice('error', 'Write the money limits as amounts in dollars, such as 500.00.'));
      (approvalThresholdCents === null ? threshold : max).focus();
      return;
    }
    const change: PracticeSettingsChange = {
      timeZone: tz.value,
      defaultModes: Object.fromEntries(modes.map((m) => [m.kind, m.control.value === 'preview' ? 'preview' : 'commit'])),
      massResolvePercent: Number(percent.value),
      massResolveMinClaims: Number(minClaims.value),
      retentionDays: Number(retention.value),
      approvalThresholdCents,
      maxManualAmountCents,
    };
    const done = 'The settings were saved.';
    // Drawn again before it is announced: whoever reads "saved" and types on keeps what they type.
    await act(message, (t) => ctx.announce(t), async () => (await ctx.api.updatePracticeSettings(change), done), () => redraw(done));
  };

  return h(
    'form',
    { class: 'settings', onsubmit: (e: Event) => void submit(e), 'aria-label': 'Practice settings' },
    message,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'set-day' },
      h('h2', { id: 'set-day' }, 'Your practice’s day'),
      h('div', { class: 'fields' }, field('Time zone', tz, 'Your practice’s “today”: report dates, Balance Forward dates of service, when previews expire.')),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'set-modes' },
      h('h2', { id: 'set-modes' }, 'How each kind of file is imported'),
      h('div', { class: 'fields' }, modes.map((m) => m.el)),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'set-review' },
      h('h2', { id: 'set-review' }, 'When an administrator must look first'),
      h(
        'div',
        { class: 'fields' },
        field('Percent of open claims', percent, 'An aging file that would close more than this share of a location’s open claims…'),
        field('Number of claims', minClaims, '…and at least this many waits for an administrator’s review.'),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'set-money' },
      h('h2', { id: 'set-money' }, 'Money entered by hand'),
      h(
        'div',
        { class: 'fields' },
        field('Needs an administrator above', threshold, 'Credits, payments and refunds above this only an administrator may enter.'),
        field('Largest amount allowed', max, 'No single credit, payment or refund may be above this.'),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'set-keep' },
      h('h2', { id: 'set-keep' }, 'Keeping files'),
      h('div', { class: 'fields' }, field('Keep uploaded files for (days)', retention, 'After this, uploaded files are deleted; what they imported stays.')),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'set-quota' },
      h('h2', { id: 'set-quota' }, 'Patients'),
      h(
        'p',
        { 'data-testid': 'quota' },
        `${formatCount(s.patients)} of ${formatCount(s.patientQuota)} patients. `,
        h('span', { class: 'muted' }, 'The limit comes with your subscription; to change it, contact Ledgerport support.'),
      ),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'data-key': 'save-settings' }, 'Save settings')),
  );
}
