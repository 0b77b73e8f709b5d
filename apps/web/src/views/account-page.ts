import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, render } from '../dom';
import { formatWhen } from '../format';
import type { ApiTokenInfo } from '../types';
import { dataTable, notice } from '../ui';
import { secretBox } from './secret-box';

/**
 * The signed-in person's own account: who they are, and their API tokens for the command-line
 * uploader and scripts (the page itself needs none): make one, shown once; revoke one.
 */
export function accountPage(ctx: AppContext): View {
  const element = h('section', { class: 'panel account', 'aria-labelledby': 'account-title' });
  const message = h('div', { id: 'tokens-message' });
  const list = h('div', { id: 'tokens-list' });
  let tokens: ApiTokenInfo[] = [];

  const label = h('input', { id: 'token-label', type: 'text', required: true, autocomplete: 'off', 'aria-describedby': 'token-label-hint' });
  const days = h(
    'select',
    { id: 'token-days' },
    h('option', { value: '30' }, '30 days'),
    h('option', { value: '90', selected: true }, '90 days'),
    h('option', { value: '365' }, '1 year'),
  );
  const form = h(
    'form',
    { 'aria-labelledby': 'new-token-title', novalidate: true },
    h('h3', { id: 'new-token-title' }, 'Make a token'),
    h(
      'div',
      { class: 'fields' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'token-label' }, 'What it is for'),
        label,
        h('p', { id: 'token-label-hint', class: 'hint' }, 'For example “nightly upload on the front-desk PC”.'),
      ),
      h('div', { class: 'field' }, h('label', { for: 'token-days' }, 'Works for'), days),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Make token')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!label.value.trim()) {
      render(message, notice('error', 'Say what the token is for, so you can tell your tokens apart later.'));
      label.focus();
      return;
    }
    ctx.api
      .createToken({ label: label.value.trim(), expiresInDays: Number(days.value) })
      .then(
        (t) => {
          label.value = '';
          render(
            message,
            secretBox({
              id: 'new-token',
              label: `API token “${t.label}”`,
              value: t.token,
              message: `Copy the token now: it is not shown again. It works until ${formatWhen(t.expiresAt)}.`,
              announce: (x) => ctx.announce(x),
            }),
          );
          ctx.announce('Token made');
          return refresh();
        },
        (err: unknown) => render(message, notice('error', errorMessage(err))),
      )
      .catch(() => false);
  });

  const row = (t: ApiTokenInfo) => [
    t.label,
    formatWhen(t.createdAt),
    t.expired ? `Expired ${formatWhen(t.expiresAt)}` : formatWhen(t.expiresAt),
    t.lastUsedAt ? formatWhen(t.lastUsedAt) : 'Never',
    h(
      'button',
      {
        type: 'button',
        class: 'danger',
        'aria-label': `Revoke: ${t.label}`,
        'data-key': `revoke-${t.id}`,
        onclick: () => {
          if (!window.confirm(`Revoke “${t.label}”? Scripts using it stop working at once.`)) return;
          ctx.api.revokeToken(t.id).then(
            () => {
              render(message, notice('success', `“${t.label}” is revoked.`));
              ctx.announce('Token revoked');
              return refresh();
            },
            (err: unknown) => render(message, notice('error', errorMessage(err))),
          ).catch(() => false);
        },
      },
      'Revoke',
    ),
  ];

  const draw = () =>
    render(
      list,
      tokens.length
        ? dataTable('Your API tokens', ['What it is for', 'Made', 'Works until', 'Last used', 'Revoke'], tokens.map(row), { captionHidden: true })
        : h('p', { class: 'empty' }, 'You have no API tokens.'),
    );

  render(
    element,
    h('div', { class: 'section-head' }, h('h1', { id: 'account-title', tabindex: -1 }, 'Your account')),
    h('p', null, `${ctx.me.user.name} · ${ctx.me.user.email} · ${ctx.isAdmin ? 'Administrator' : 'Staff'} at ${ctx.me.practice.name}`),
    h('h2', null, 'API tokens'),
    h('p', { class: 'hint' }, 'For the command-line uploader (ledgerport upload …) and scripts. Signing in to this page needs none.'),
    message,
    form,
    list,
  );

  const refresh = async (): Promise<boolean> => {
    tokens = await ctx.api.listTokens();
    draw();
    return false;
  };
  return { element, refresh };
}
