import { h, type Child } from './dom';
import { formatCount, formatDuration, formatPercent, formatRows } from './format';
import type { ImportStatus, ImportView } from './types';
import { closingText, importState, STATE_LABELS, waitsForAdmin, type ImportState } from './wording';

export const STATUS_LABELS: Record<ImportStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  ready: 'Ready for review',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  reverted: 'Reverted',
};

export const WAITS_FOR_ADMIN = 'Waits for an administrator';

const BADGE_CLASS: Record<ImportState, string> = {
  queued: 'queued',
  resuming: 'queued',
  reading: 'running',
  saving: 'running',
  cancelling: 'running',
  ready: 'ready',
  waits_for_admin: 'review',
  completed: 'completed',
  completed_with_rejections: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  discarded: 'cancelled',
  reverted: 'reverted',
};

export function statusBadge(status: ImportStatus): HTMLElement {
  return h('span', { class: `badge badge-${status}` }, STATUS_LABELS[status] ?? status);
}

/** The state as staff should read it: a preview only an administrator may save is not "ready", a discard is no cancel. */
export function importBadge(v: Parameters<typeof importState>[0]): HTMLElement {
  const state = importState(v);
  return h('span', { class: `badge badge-${BADGE_CLASS[state]}` }, STATE_LABELS[state]);
}

type ProgressInput = Pick<
  ImportView,
  | 'status'
  | 'phase'
  | 'review'
  | 'rowsRead'
  | 'rowsTotal'
  | 'rowsTotalEstimated'
  | 'rowsAccepted'
  | 'rowsCommitted'
  | 'claimsChecked'
  | 'claimsToResolve'
  | 'claimsResolved'
  | 'rowsRejected'
  | 'rowsPerSecond'
  | 'etaSeconds'
  | 'cancelRequested'
  | 'error'
  | 'percent'
  | 'fileName'
>;

/** "15,000 of about 150,000 rows": the rows of the step, and of what total, while it runs. */
function ofTotal(done: number, total: number | null, estimated: boolean): string {
  return total && total > done ? `${formatCount(done)} of ${estimated ? 'about ' : ''}${formatRows(total)}` : formatRows(done);
}

/** What the import is doing right now, in words: rows of the total, rate and time left while it runs. */
export function progressText(v: ProgressInput): string {
  const state = importState(v);
  switch (state) {
    case 'queued':
      return 'Waiting for a worker';
    case 'resuming':
      return `Waiting to carry on · ${formatRows(v.rowsRead)} read`;
    case 'reading':
    case 'saving':
    case 'cancelling': {
      const parts =
        v.phase === 'committing'
          ? [closingText(v) ?? `Saving · ${ofTotal(v.rowsCommitted, v.rowsAccepted, false)}`]
          : v.phase === 'staged'
            ? ['Saving · about to start']
            : [`Reading · ${ofTotal(v.rowsRead, v.rowsTotal, v.rowsTotalEstimated)}`];
      if (v.status === 'running' && v.rowsPerSecond > 0) parts.push(`${formatCount(v.rowsPerSecond)} rows/s`);
      if (v.status === 'running' && v.etaSeconds !== null && v.etaSeconds > 0) parts.push(`about ${formatDuration(v.etaSeconds)} left`);
      if (state === 'cancelling') parts.push('cancelling');
      return parts.join(' · ');
    }
    case 'ready':
      return `${formatRows(v.rowsAccepted)} checked · waiting for Save`;
    case 'waits_for_admin':
      return `${formatRows(v.rowsAccepted)} checked · nothing applied · an administrator must review it`;
    case 'completed':
      return `${formatRows(v.rowsRead)} · done`;
    case 'completed_with_rejections':
      return `${formatRows(v.rowsRead)} · done · ${formatCount(v.rowsRejected)} rejected`;
    case 'failed':
      return v.rowsRead > 0 ? `Failed after ${formatRows(v.rowsRead)} · nothing applied` : 'Nothing applied';
    case 'cancelled':
      return 'Cancelled · nothing applied';
    case 'discarded':
      return 'Discarded after review · nothing saved';
    case 'reverted':
      return 'Reverted · nothing applied now';
  }
}

/** Imports that stopped short: a percentage would suggest they got somewhere. */
const ENDED: readonly ImportStatus[] = ['failed', 'cancelled', 'reverted'];

/** A bar with its numbers under it; role=progressbar so a screen reader can read the percentage. */
export function progressBar(v: ProgressInput): HTMLElement {
  const percent = Math.max(0, Math.min(100, v.percent));
  const showPercent = !(ENDED.includes(v.status) || waitsForAdmin(v));
  return h(
    'div',
    { class: `progress progress-${v.status}` },
    h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-label': `Progress of ${v.fileName}`,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': Math.round(percent),
        'aria-valuetext': `${showPercent ? `${formatPercent(percent)} · ` : ''}${progressText(v)}`,
      },
      h('div', { class: 'fill', style: `width: ${percent}%` }),
    ),
    h(
      'div',
      { class: 'progress-text' },
      // A file held for an administrator is read in full but not applied: 100% would say it is done.
      showPercent ? [h('span', { class: 'pct' }, formatPercent(percent)), ' '] : null,
      progressText(v),
    ),
  );
}

export function notice(kind: 'error' | 'info' | 'success' | 'warning', ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

/** A table that turns into labelled cards on a phone (each cell carries its column name). */
export function dataTable(
  caption: string,
  headers: string[],
  rows: Child[][],
  opts: { captionHidden?: boolean; wide?: boolean; rowClass?: (i: number) => string | null } = {},
): HTMLElement {
  const table = h(
      'table',
      { class: opts.wide ? 'cards wide' : 'cards' },
      h('caption', { class: opts.captionHidden ? 'sr-only' : null }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r, i) =>
          h(
            'tr',
            { class: opts.rowClass?.(i) ?? null },
            r.map((c, j) => h('td', { 'data-label': headers[j] ?? '' }, c)),
          ),
        ),
      ),
    );
  if (!opts.wide) return h('div', { class: 'table-wrap' }, table);
  // A wide table scrolls sideways inside its panel; the region takes the keyboard (arrow keys scroll
  // it), and a line under it says so while columns are out of sight.
  const hint = h('p', { class: 'scroll-hint', hidden: true, 'aria-hidden': 'true' }, 'Scroll sideways for more columns →');
  const wrap = h('div', { class: 'table-wrap scrolls', role: 'region', tabindex: 0, 'aria-label': `${caption} (scrolls sideways)`, 'data-key': `scroll-${caption}` }, table);
  const update = () => {
    const more = wrap.scrollWidth - wrap.clientWidth - wrap.scrollLeft > 2;
    hint.hidden = wrap.scrollWidth <= wrap.clientWidth + 2;
    wrap.classList.toggle('more-right', more);
  };
  wrap.addEventListener('scroll', update, { passive: true });
  if (typeof ResizeObserver !== 'undefined') new ResizeObserver(update).observe(wrap);
  else window.requestAnimationFrame(update);
  return h('div', { class: 'table-scroll' }, wrap, hint);
}

export function pager(opts: {
  page: number;
  pageSize: number;
  total: number;
  label: string;
  keyPrefix: string;
  onPage(page: number): void;
}): HTMLElement | null {
  const pages = Math.max(1, Math.ceil(opts.total / opts.pageSize));
  if (pages <= 1) return null;
  const first = (opts.page - 1) * opts.pageSize + 1;
  const last = Math.min(opts.total, opts.page * opts.pageSize);
  return h(
    'nav',
    { class: 'pager', 'aria-label': opts.label },
    h(
      'button',
      {
        type: 'button',
        'data-key': `${opts.keyPrefix}-prev`,
        disabled: opts.page <= 1,
        onclick: () => opts.onPage(opts.page - 1),
      },
      '‹ Previous',
    ),
    h('span', null, `${formatCount(first)}–${formatCount(last)} of ${formatCount(opts.total)}`),
    h(
      'button',
      {
        type: 'button',
        'data-key': `${opts.keyPrefix}-next`,
        disabled: opts.page >= pages,
        onclick: () => opts.onPage(opts.page + 1),
      },
      'Next ›',
    ),
  );
}

export function bellIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z',
  );
  path.setAttribute('fill', 'currentColor');
  svg.appendChild(path);
  return svg;
}
