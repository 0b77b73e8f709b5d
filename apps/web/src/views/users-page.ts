import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, render } from '../dom';
import { formatWhen } from '../format';
import type { PracticeUser, UserWithLink } from '../types';
import { dataTable, notice } from '../ui';
import { secretBox } from './secret-box';

const ROLE_LABEL = { admin: 'Administrator', staff: 'Staff' } as const;

function statusOf(u: PracticeUser): string {
  if (!u.active) return 'Deactivated';
  return u.hasPassword ? 'Active' : 'Invited: has not set a password yet';
}

/**
 * The practice's users, for administrators: invite someone (the page shows the invitation link to pass
 * on), change a role, deactivate or reactivate, and make a new link for someone who forgot their
 * password. The server refuses to leave the practice without an active administrator, and says why.
 */
export function usersPage(ctx: AppContext): View {
  const element = h('section', { class: 'panel users', 'aria-labelledby': 'users-title' });
  const message = h('div', { id: 'users-message' });
  const list = h('div', { id: 'users-list' });
  let users: PracticeUser[] = [];

  const showLink = (r: UserWithLink, verb: string) => {
    const until = formatWhen(r.link.expiresAt);
    render(
      message,
      secretBox({
        id: 'user-link',
        label: r.link.purpose === 'invite' ? `Invitation link for ${r.user.name}` : `Reset link for ${r.user.name}`,
        value: r.link.url,
        message: `${verb} ${r.link.sent ? 'The link was sent to' : 'Nobody is emailed: pass this link on to'} ${r.user.name} (${r.user.email}). It works once, until ${until}.`,
        announce: (t) => ctx.announce(t),
      }),
    );
  };

  const act = async (what: () => Promise<unknown>, said: string) => {
    try {
      await what();
      render(message, notice('success', said));
      ctx.announce(said);
    } catch (e) {
      render(message, notice('error', errorMessage(e)));
    }
    await refresh().catch(() => false);
  };

  const name = h('input', { id: 'invite-name', type: 'text', required: true, autocomplete: 'off' });
  const email = h('input', { id: 'invite-email', type: 'email', required: true, autocomplete: 'off', spellcheck: 'false' });
  const role = h('select', { id: 'invite-role' }, h('option', { value: 'staff' }, 'Staff'), h('option', { value: 'admin' }, 'Administrator'));
  const invite = h(
    'form',
    { class: 'invite', 'aria-labelledby': 'invite-title', novalidate: true },
    h('h2', { id: 'invite-title' }, 'Invite someone'),
    h(
      'div',
      { class: 'fields' },
      h('div', { class: 'field' }, h('label', { for: 'invite-name' }, 'Name'), name),
      h('div', { class: 'field' }, h('label', { for: 'invite-email' }, 'Email'), email),
      h('div', { class: 'field' }, h('label', { for: 'invite-role' }, 'Role'), role),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Invite')),
  );
  invite.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!name.value.trim() || !email.value.trim()) {
      render(message, notice('error', 'Enter the new user’s name and email.'));
      (name.value.trim() ? email : name).focus();
      return;
    }
    ctx.api
      .inviteUser({ name: name.value.trim(), email: email.value.trim(), role: role.value === 'admin' ? 'admin' : 'staff' })
      .then(
        (r) => {
          name.value = '';
          email.value = '';
          showLink(r, `${r.user.name} is invited.`);
          ctx.announce(`${r.user.name} is invited`);
          return refresh();
        },
        (err: unknown) => render(message, notice('error', errorMessage(err))),
      )
      .catch(() => false);
  });

  const row = (u: PracticeUser) => {
    const isMe = u.id === ctx.me.user.id;
    const buttons = [
      u.active
        ? h(
            'button',
            {
              type: 'button',
              'aria-label': `${u.role === 'admin' ? 'Make staff' : 'Make administrator'}: ${u.name}`,
              'data-key': `role-${u.id}`,
              onclick: () =>
                void act(
                  () => ctx.api.changeUser(u.id, { role: u.role === 'admin' ? 'staff' : 'admin' }),
                  `${u.name} is now ${u.role === 'admin' ? 'staff' : 'an administrator'}.`,
                ),
            },
            u.role === 'admin' ? 'Make staff' : 'Make administrator',
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: u.active ? 'danger' : null,
          'aria-label': `${u.active ? 'Deactivate' : 'Reactivate'}: ${u.name}`,
          'data-key': `active-${u.id}`,
          onclick: () => {
            if (u.active && !window.confirm(`Deactivate ${u.name}? They are signed out at once and their API tokens stop working.`)) return;
            void act(
              () => ctx.api.changeUser(u.id, { active: !u.active }),
              u.active ? `${u.name} is deactivated and signed out.` : `${u.name} is active again.`,
            );
          },
        },
        u.active ? 'Deactivate' : 'Reactivate',
      ),
      u.active && !isMe
        ? h(
            'button',
            {
              type: 'button',
              'aria-label': `${u.hasPassword ? 'Password reset link' : 'New invitation link'}: ${u.name}`,
              'data-key': `link-${u.id}`,
              onclick: () =>
                void ctx.api.passwordLinkFor(u.id).then(
                  (r) => showLink(r, r.link.purpose === 'invite' ? 'A new invitation link is ready.' : 'A password reset link is ready.'),
                  (err: unknown) => render(message, notice('error', errorMessage(err))),
                ),
            },
            u.hasPassword ? 'Reset link' : 'New invitation link',
          )
        : null,
    ];
    return [
      h('span', null, u.name, isMe ? h('span', { class: 'muted' }, ' (you)') : null),
      u.email,
      ROLE_LABEL[u.role],
      statusOf(u),
      u.lastSignInAt ? formatWhen(u.lastSignInAt) : 'Never',
      h('div', { class: 'row-actions' }, buttons),
    ];
  };

  const draw = () =>
    render(
      list,
      dataTable('The practice’s users', ['Name', 'Email', 'Role', 'Status', 'Last sign-in', 'Actions'], users.map(row), { captionHidden: true }),
    );

  render(
    element,
    h('div', { class: 'section-head' }, h('h1', { id: 'users-title', tabindex: -1 }, 'Users')),
    h('p', { class: 'hint' }, 'Deactivating someone signs them out at once and stops their API tokens. A practice always keeps one active administrator.'),
    message,
    invite,
    h('h2', null, 'Everyone in your practice'),
    list,
  );

  const refresh = async (): Promise<boolean> => {
    users = await ctx.api.listUsers();
    draw();
    return false;
  };
  return { element, refresh };
}
