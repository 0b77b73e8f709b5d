import { errorMessage } from '../api';
import { kindLabel, type AppContext, type View } from '../context';
import { h, render } from '../dom';
import { formatWhen } from '../format';
import { links } from '../router';
import type { ImportView, Page } from '../types';
import { dataTable, notice, progressBar, statusBadge } from '../ui';
import { adminActions } from './admin-actions';

/** Queued or running with no news for this long counts as stuck. */
const STUCK_AFTER_MS = 5 * 60_000;

export function isStuck(v: ImportView, now: number): boolean {
  if (v.status !== 'queued' && v.status !== 'running') return false;
  const last = v.updatedAt ?? v.startedAt ?? v.createdAt;
  return now - new Date(last).getTime() > STUCK_AFTER_MS;
}

/** Failed and stuck imports. Everyone may look; only administrators get Retry and Cancel. */
export function attentionPage(ctx: AppContext): View {
  let message: HTMLElement | null = null;
  const element = h('div', { class: 'attention' });

  const table = (caption: string, items: ImportView[], empty: string) =>
    h(
      'section',
      { class: 'panel' },
      h('h2', null, caption),
      items.length === 0
        ? h('p', { class: 'empty' }, empty)
        : dataTable(
            caption,
            ['File', 'Kind', 'Location', 'Uploaded by', 'Status', 'What happened', ...(ctx.isAdmin ? ['Actions'] : [])],
            items.map((v) => [
              h('a', { href: links.import(v.id), 'data-key': `open-${v.id}` }, v.fileName),
              kindLabel(ctx, v.kind),
              v.location?.name ?? '—',
              h(
                'span',
                null,
                v.createdBy.name ?? 'unknown',
                h('br'),
                h('span', { class: 'muted' }, formatWhen(v.createdAt)),
              ),
              statusBadge(v.status),
              v.status === 'failed' ? (v.error?.message ?? 'No reason was recorded.') : progressBar(v),
              ...(ctx.isAdmin
                ? [
                    adminActions(ctx, v, {
                      onDone: (text) => {
                        message = notice('success', text);
                        ctx.poller.kick();
                      },
                      onError: (e) => {
                        message = notice('error', errorMessage(e));
                        ctx.poller.kick();
                      },
                    }),
                  ]
                : []),
            ]),
            { captionHidden: true },
          ),
    );

  const refresh = async (): Promise<boolean> => {
    let failed: Page<ImportView>;
    let active: Page<ImportView>;
    try {
      [failed, active] = await Promise.all([
        ctx.api.get<Page<ImportView>>('/imports?status=failed&pageSize=100'),
        ctx.api.get<Page<ImportView>>('/imports?status=queued,running&pageSize=100'),
      ]);
    } catch (e) {
      render(element, h('h1', { tabindex: -1 }, 'Needs attention'), notice('error', errorMessage(e)));
      throw e;
    }
    const now = Date.now();
    const stuck = active.items.filter((v) => isStuck(v, now));
    render(
      element,
      h('div', { class: 'section-head' }, h('h1', { tabindex: -1 }, 'Needs attention')),
      h(
        'p',
        { class: 'muted' },
        ctx.isAdmin
          ? 'Retry puts a failed import back in the queue; it carries on where it stopped. Cancel stops an import and undoes what it saved.'
          : 'An administrator of your practice can retry or cancel these imports.',
      ),
      message,
      table(`Failed (${failed.total})`, failed.items, 'No import has failed.'),
      table(`Stuck: no progress for 5 minutes (${stuck.length})`, stuck, 'Nothing is stuck.'),
    );
    return active.items.length > 0;
  };

  return { element, refresh };
}
