import { errorMessage } from '../api';
import { kindLabel, type AppContext, type View } from '../context';
import { h, render } from '../dom';
import { formatWhen } from '../format';
import { links } from '../router';
import type { ImportView, Page } from '../types';
import { dataTable, importBadge, notice, progressBar } from '../ui';
import { reviewHeadline, waitsForAdmin } from '../wording';
import { adminActions } from './admin-actions';

/** Queued or running with no news for this long counts as stuck. */
const STUCK_AFTER_MS = 5 * 60_000;

export function isStuck(v: ImportView, now: number): boolean {
  if (v.status !== 'queued' && v.status !== 'running') return false;
  const last = v.updatedAt ?? v.startedAt ?? v.createdAt;
  return now - new Date(last).getTime() > STUCK_AFTER_MS;
}

/**
 * Imports waiting for an administrator's review, failed and stuck imports. Everyone may look; only
 * administrators get the buttons.
 */
export function attentionPage(ctx: AppContext): View {
  let message: HTMLElement | null = null;
  let messageFromAction = false;
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
              importBadge(v),
              v.status === 'failed'
                ? h(
                    'span',
                    null,
                    v.error?.message ?? 'No reason was recorded.',
                    v.error?.code === 'unrecognized_layout' && v.kind === 'aging'
                      ? [' ', h('a', { href: links.map(v.id), 'data-key': `map-${v.id}` }, 'Map the columns')]
                      : null,
                  )
                : waitsForAdmin(v)
                  ? reviewHeadline(v)
                  : progressBar(v),
              ...(ctx.isAdmin
                ? [
                    adminActions(ctx, v, {
                      onDone: (text) => {
                        message = notice('success', text);
                        ctx.poller.kick();
                      },
                      onError: (e) => {
                        message = notice('error', errorMessage(e));
                        messageFromAction = true;
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
    let ready: Page<ImportView>;
    try {
      // A failed import an administrator dismissed was dealt with: it no longer needs attention.
      [failed, active, ready] = await Promise.all([
        ctx.api.listImports({ status: ['failed'], dismissed: false, pageSize: 100 }),
        ctx.api.listImports({ status: ['queued', 'running'], pageSize: 100 }),
        ctx.api.listImports({ status: ['ready'], pageSize: 100 }),
      ]);
    } catch (e) {
      render(element, h('h1', { tabindex: -1 }, 'Needs attention'), notice('error', errorMessage(e)));
      throw e;
    }
    // An error from an earlier refresh is gone with this good answer.
    if (message?.classList.contains('notice-error') && !messageFromAction) message = null;
    messageFromAction = false;
    const now = Date.now();
    const stuck = active.items.filter((v) => isStuck(v, now));
    const held = ready.items.filter(waitsForAdmin);
    render(
      element,
      h('div', { class: 'section-head' }, h('h1', { tabindex: -1 }, 'Needs attention')),
      h(
        'p',
        { class: 'muted' },
        ctx.isAdmin
          ? 'Open a file that waits for you to see the claims it would close, then save or discard it. Retry is offered where it can help: it puts a failed import back in the queue, and it carries on where it stopped. A file that is itself wrong is fixed and uploaded again; Dismiss takes a failure you have dealt with off this page. Cancel stops an import and undoes what it saved.'
          : 'An administrator of your practice can retry or cancel these imports. A file that waits for an administrator is saved or discarded by one.',
      ),
      message,
      table(`Waits for an administrator (${held.length})`, held, 'No file is waiting for an administrator.'),
      table(`Failed (${failed.total})`, failed.items, 'No import has failed.'),
      table(`Stuck: no progress for 5 minutes (${stuck.length})`, stuck, 'Nothing is stuck.'),
    );
    return active.items.length > 0;
  };

  return { element, refresh };
}
