import { canRetry } from '@ledgerport/api-client';
import type { AppContext } from '../context';
import { h } from '../dom';
import type { ImportView } from '../types';
import { confirmEmptyQuestion, revertQuestion } from '../wording';

const CANCELLABLE = ['queued', 'running', 'ready'];

/** An aging report that failed for listing no claims: only an administrator may say the location has none. */
export function isEmptyReport(v: Pick<ImportView, 'status' | 'error'>): boolean {
  return v.status === 'failed' && v.error?.code === 'no_claims';
}

/**
 * Retry (only where a retry can succeed), Dismiss, Cancel, Confirm an empty report, Revert: only an
 * administrator gets the buttons (the API refuses staff anyway). Every button that changes money
 * asks first, naming what it will do.
 */
export function adminActions(
  ctx: AppContext,
  v: ImportView,
  on: { onDone: (text: string) => void; onError: (e: unknown) => void },
): HTMLElement | null {
  if (!ctx.isAdmin) return null;
  const buttons: HTMLElement[] = [];
  const where = v.location?.name ?? 'this location';
  if (isEmptyReport(v)) {
    // Retrying would only fail again on the same empty report: confirming is the way forward.
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-key': `confirm-empty-${v.id}`,
          onclick: () => {
            if (!window.confirm(confirmEmptyQuestion(v))) return;
            ctx.api
              .confirmEmpty(v.id)
              .then(
                () => on.onDone(`Confirmed: ${where} has no open claims. ${v.fileName} is being applied.`),
                on.onError,
              );
          },
        },
        `Confirm: ${where} has no open claims`,
      ),
    );
  } else if (canRetry(v)) {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-key': `retry-${v.id}`,
          'aria-label': `Retry ${v.fileName}`,
          onclick: () => {
            ctx.api
              .retry(v.id)
              .then(() => on.onDone(`${v.fileName} is queued again; it carries on where it stopped.`), on.onError);
          },
        },
        'Retry',
      ),
    );
  }
  if (v.status === 'failed' && !v.dismissed) {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          'data-key': `dismiss-${v.id}`,
          'aria-label': `Dismiss ${v.fileName}`,
          onclick: () => {
            ctx.api
              .dismiss(v.id)
              .then(() => on.onDone(`${v.fileName} is dismissed: it no longer needs attention.`), on.onError);
          },
        },
        'Dismiss',
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
            ctx.api.cancel(v.id).then(() => on.onDone(`Cancelling ${v.fileName}.`), on.onError);
          },
        },
        'Cancel',
      ),
    );
  }
  if (v.status === 'completed') {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-key': `revert-${v.id}`,
          'aria-label': `Revert ${v.fileName}`,
          onclick: () => {
            if (!window.confirm(revertQuestion(v))) return;
            ctx.api
              .revert(v.id)
              .then(() => on.onDone(`Reverted ${v.fileName}: what it applied was undone.`), on.onError);
          },
        },
        'Revert',
      ),
    );
  }
  return buttons.length ? h('div', { class: 'actions admin-actions' }, buttons) : null;
}
