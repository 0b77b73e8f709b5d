import { createApi, errorMessage } from '../api';
import { h, render } from '../dom';
import type { Me } from '../types';
import { notice } from '../ui';

/** Signs in with an API token: checked against GET /me before it is kept for this tab. */
export function signIn(root: HTMLElement, onSignedIn: (token: string, me: Me) => void, reason?: string): void {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-hint',
  });
  const message = h('div', { id: 'token-message' }, reason ? notice('info', reason) : null);
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'panel sign-in' },
    h('h1', null, 'Sign in to Ledgerport'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h(
      'p',
      { id: 'token-hint', class: 'hint' },
      'Your practice administrator gives you a token. This tab keeps it until you sign out or close the tab.',
    ),
    button,
    message,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) {
      render(message, notice('error', 'Paste your API token first.'));
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'token-message token-hint');
      input.focus();
      return;
    }
    button.disabled = true;
    createApi(token)
      .me()
      .then(
        (me) => onSignedIn(token, me),
        (err: unknown) => {
          render(message, notice('error', errorMessage(err)));
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', 'token-message token-hint');
          input.focus();
          input.select();
        },
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  render(root, h('main', { id: 'main', class: 'sign-in-page' }, h('p', { class: 'brand big' }, 'Ledgerport'), form));
  input.focus();
}
