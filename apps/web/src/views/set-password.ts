import { ApiError, createApi, errorMessage } from '../api';
import { h, render } from '../dom';
import type { Me } from '../types';
import { notice } from '../ui';
import { refuseAtField } from './form-bits';

const MIN = 10;

/**
 * Where an invitation or reset link lands (#/set-password/<secret>): the person chooses a password
 * and is signed in. The secret is in the fragment, which the browser never sends to a server.
 */
export function setPassword(root: HTMLElement, token: string, onSignedIn: (me: Me) => void, onSignIn: () => void): void {
  const api = createApi();
  const main = h('main', { id: 'main', class: 'sign-in-page' }, h('p', { class: 'brand big' }, 'Ledgerport'));
  render(root, main);
  const dead = (text: string) =>
    main.append(
      h(
        'section',
        { class: 'panel sign-in' },
        h('h1', null, 'This link does not work'),
        notice('error', text),
        h('button', { type: 'button', onclick: onSignIn }, 'Go to sign-in'),
      ),
    );
  api.passwordLink(token).then(
    (link) => {
      const pw = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true, minlength: MIN, 'aria-describedby': 'new-password-hint' });
      const again = h('input', { id: 'new-password-again', type: 'password', autocomplete: 'new-password', required: true });
      const user = h('input', { type: 'email', autocomplete: 'username', value: link.email, hidden: true, readonly: true, 'aria-hidden': 'true', tabindex: -1 });
      const message = h('div', { id: 'set-password-message' });
      const button = h('button', { type: 'submit', class: 'primary' }, link.purpose === 'invite' ? 'Set password and sign in' : 'Save new password and sign in');
      const form = h(
        'form',
        { class: 'panel sign-in', novalidate: true },
        h('h1', null, link.purpose === 'invite' ? `Welcome to Ledgerport, ${link.name}` : 'Choose a new password'),
        h('p', null, `${link.practice.name} · you sign in as `, h('strong', null, link.email)),
        user,
        h('label', { for: 'new-password' }, 'New password'),
        pw,
        h('p', { id: 'new-password-hint', class: 'hint' }, `At least ${MIN} characters. A few words you will remember make a good one.`),
        h('label', { for: 'new-password-again' }, 'The same password again'),
        again,
        button,
        message,
      );
      const refuse = (text: string, input: HTMLInputElement) => refuseAtField(message, text, input);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        pw.removeAttribute('aria-invalid');
        again.removeAttribute('aria-invalid');
        if (pw.value.length < MIN) return refuse(`Choose a password of at least ${MIN} characters.`, pw);
        if (pw.value !== again.value) return refuse('The two passwords are not the same. Type them again.', again);
        button.disabled = true;
        api
          .setPassword(token, pw.value)
          .then(() => api.me())
          .then(
            (me) => {
              window.location.hash = '#/';
              onSignedIn(me);
            },
            (err: unknown) => refuse(errorMessage(err), pw),
          )
          .finally(() => {
            button.disabled = false;
          });
      });
      main.append(form);
      pw.focus();
    },
    (err: unknown) => dead(err instanceof ApiError && err.status === 404 ? err.message : errorMessage(err)),
  );
}
