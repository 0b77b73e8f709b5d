import { createApi, errorMessage } from '../api';
import { h, render } from '../dom';
import type { Me } from '../types';
import { notice } from '../ui';
import { refuseAtField } from './form-bits';

/** A labelled input with its hint and the message region it is described by. */
function field(id: string, label: string, attrs: Record<string, string | boolean>, hint?: string) {
  const input = h('input', { id, name: id, required: true, 'aria-describedby': hint ? `${id}-hint` : null, ...attrs });
  const nodes = [h('label', { for: id }, label), input, hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null];
  return { input, nodes };
}

/** Signs in with an email and a password; the server answers with a session cookie. */
export function signIn(root: HTMLElement, onSignedIn: (me: Me) => void, reason?: string): void {
  const email = field('email', 'Email', { type: 'email', autocomplete: 'username', spellcheck: 'false' });
  const password = field(
    'password',
    'Password',
    { type: 'password', autocomplete: 'current-password' },
    'Forgotten it, or never set one? Your practice administrator can give you a link to set a new one.',
  );
  const message = h('div', { id: 'sign-in-message' }, reason ? notice('info', reason) : null);
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'panel sign-in', novalidate: true },
    h('h1', null, 'Sign in to Ledgerport'),
    ...email.nodes,
    ...password.nodes,
    button,
    message,
  );
  const refuse = (text: string, input: HTMLInputElement) => refuseAtField(message, text, input);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    email.input.removeAttribute('aria-invalid');
    password.input.removeAttribute('aria-invalid');
    if (!email.input.value.trim()) return refuse('Enter your email.', email.input);
    if (!password.input.value) return refuse('Enter your password.', password.input);
    button.disabled = true;
    const api = createApi();
    api
      .signIn(email.input.value.trim(), password.input.value)
      .then(() => api.me())
      .then(
        (me) => onSignedIn(me),
        (err: unknown) => {
          password.input.value = '';
          refuse(errorMessage(err), password.input);
        },
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  render(root, h('main', { id: 'main', class: 'sign-in-page' }, h('p', { class: 'brand big' }, 'Ledgerport'), form));
  email.input.focus();
}
