import { errorMessage } from '../api';
import type { AppContext, View } from '../context';
import { h, render } from '../dom';
import { formatWhen, humanize } from '../format';
import { pageLink } from '../router';
import type { Notification } from '../types';
import { notice } from '../ui';

const KIND_LABELS: Record<string, string> = {
  payer_created: 'New payer',
  payers_created: 'New payers',
  import_completed: 'Import completed',
  import_failed: 'Import failed',
  import_ready: 'Waits for your Save',
  import_review: 'Waits for an administrator',
  import_cancelled: 'Import cancelled',
  import_reverted: 'Import reverted',
};

/** "10 new payers" out of "aging.csv brought 10 new payers: …" (and the completion that names them). */
function payersNote(message: string): string | null {
  const m = /\b([\d,]+) new payers?\b/.exec(message);
  return m ? `${m[1]} new payer${m[1] === '1' ? '' : 's'}` : null;
}

/** One per import and event, newest first: finished, failed, waiting, cancelled, reverted; Mark all as read. */
export function notificationsPage(ctx: AppContext): View {
  let message: HTMLElement | null = null;
  let items: Notification[] = [];
  let unread = 0;
  const element = h('section', { class: 'panel notifications', 'aria-labelledby': 'notes-title' });

  const markRead = async (ids: number[] | 'all') => {
    try {
      if (ids === 'all') {
        const { marked } = await ctx.api.markAllRead();
        ctx.announce(`Marked ${marked} as read`);
      } else {
        for (const id of ids) await ctx.api.markRead(id);
        ctx.announce('Marked as read');
      }
      message = null;
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
                onclick: () => void markRead('all'),
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
            'No notifications yet. You hear here when your imports finish, fail or wait for you, and when a file brings new payers.',
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
                    KIND_LABELS[n.kind] ?? humanize(n.kind),
                    n.kind === 'import_completed' && payersNote(n.message) ? ` · ${payersNote(n.message)}` : '',
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
      const data = await ctx.api.notifications({ pageSize: 50 });
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
