import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, render } from '../dom';
import { formatWhen } from '../format';
import { pageLink } from '../router';
import type { Notification } from '../types';
import { notice } from '../ui';

const KIND_LABELS: Record<string, string> = {
  payer_created: 'New payer',
  import_completed: 'Import completed',
  import_failed: 'Import failed',
};

/** New payers, finished and failed imports: newest first, each with Mark as read. */
export function notificationsPage(ctx: AppContext): View {
  let message: HTMLElement | null = null;
  let items: Notification[] = [];
  let unread = 0;
  const element = h('section', { class: 'panel notifications', 'aria-labelledby': 'notes-title' });

  const markRead = async (ids: number[]) => {
    try {
      for (const id of ids) await ctx.api.post(`/notifications/${id}/read`);
      message = null;
      ctx.announce(ids.length === 1 ? 'Marked as read' : `Marked ${ids.length} as read`);
    } catch (e) {
      message = notice('error', errorMessage(e));
    }
    await refresh().catch(() => {});
    await ctx.refreshBell();
  };

  function draw(): void {
    render(
      element,
      h(
        'div',
        { class: 'section-head' },
        h('h1', { id: 'notes-title', tabindex: -1 }, `Notifications${unread ? ` (${unread} unread)` : ''}`),
        unread
          ? h(
              'button',
              {
                type: 'button',
                'data-key': 'read-all',
                onclick: () => void markRead(items.filter((n) => !n.read).map((n) => n.id)),
              },
              'Mark all as read',
            )
          : null,
      ),
      message,
      items.length === 0
        ? h(
            'p',
            { class: 'empty' },
            'No notifications yet. You hear here when your imports finish or fail, and when a file brings a new payer.',
          )
        : h(
            'ul',
            { class: 'note-list' },
            items.map((n) => {
              const link = pageLink(n.link);
              return h(
                'li',
                { class: n.read ? 'read' : 'unread' },
                h(
                  'div',
                  { class: 'note-body' },
                  h(
                    'span',
                    { class: 'note-kind' },
                    n.read ? '' : h('span', { class: 'sr-only' }, 'Unread: '),
                    KIND_LABELS[n.kind] ?? n.kind,
                    ' · ',
                    formatWhen(n.createdAt),
                  ),
                  h('p', null, n.message),
                ),
                h(
                  'div',
                  { class: 'actions' },
                  link ? h('a', { href: link, 'data-key': `note-open-${n.id}` }, 'Open the import') : null,
                  n.read
                    ? null
                    : h(
                        'button',
                        { type: 'button', 'data-key': `note-read-${n.id}`, onclick: () => void markRead([n.id]) },
                        'Mark as read',
                      ),
                ),
              );
            }),
          ),
    );
  }

  const refresh = async (): Promise<boolean> => {
    try {
      const data = await ctx.api.get<{ items: Notification[]; unread: number }>('/notifications?pageSize=50');
      items = data.items;
      unread = data.unread;
    } catch (e) {
      message = notice('error', errorMessage(e));
      draw();
      throw e;
    }
    draw();
    return false;
  };

  return { element, refresh };
}
