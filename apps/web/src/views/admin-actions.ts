import type { AppContext } from '../context';
import { h } from '../dom';
import type { ImportView } from '../types';

const CANCELLABLE = ['queued', 'running', 'ready'];

/** Retry and Cancel: only an administrator gets the buttons (the API refuses staff anyway). */
export function adminActions(
  ctx: AppContext,
  v: ImportView,
  on: { onDone(text: string): void; onError(e: unknown): void },
): HTMLElement | null {
  if (!ctx.isAdmin) return null;
  const buttons: HTMLElement[] = [];
  const path = (what: string) => `/imports/${encodeURIComponent(v.id)}/${what}`;
  if (v.status === 'failed') {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-key': `retry-${v.id}`,
          'aria-label': `Retry ${v.fileName}`,
          onclick: () =>
            ctx.api
              .post(path('retry'))
              .then(() => on.onDone(`${v.fileName} is queued again; it carries on where it stopped.`), on.onError),
        },
        'Retry',
      ),
    );
  }
  if (CANCELLABLE.includes(v.status) && !v.cancelRequested) {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-key': `cancel-${v.id}`,
          'aria-label': `Cancel ${v.fileName}`,
          onclick: () => {
            if (
              !window.confirm(
                `Cancel ${v.fileName}? Nothing from this file will be applied; rows it already saved are undone.`,
              )
            )
              return;
            ctx.api.post(path('cancel')).then(() => on.onDone(`Cancelling ${v.fileName}.`), on.onError);
          },
        },
        'Cancel',
      ),
    );
  }
  return buttons.length ? h('div', { class: 'actions admin-actions' }, buttons) : null;
}
