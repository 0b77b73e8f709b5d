import { h, type Child } from './dom';
import { formatCount, formatDuration, formatRows } from './format';
import type { ImportStatus, ImportView } from './types';
import { waitsForAdmin } from './wording';

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

export function statusBadge(status: ImportStatus): HTMLElement {
  return h('span', { class: `badge badge-${status}` }, STATUS_LABELS[status] ?? status);
}

/** The status as staff should read it: a preview only an administrator may save is not "ready". */
export function importBadge(v: Pick<ImportView, 'status' | 'review'>): HTMLElement {
  return waitsForAdmin(v) ? h('span', { class: 'badge badge-review' }, WAITS_FOR_ADMIN) : statusBadge(v.status);
}

/** What the import is doing right now, in words: rows, rate and time left while it runs. */
export function progressText(v: ImportView): string {
  switch (v.status) {
    case 'queued':
      return v.rowsRead > 0 ? `Waiting to carry on · ${formatRows(v.rowsRead)} read` : 'Waiting for a worker';
    case 'running': {
      const parts =
        v.phase === 'committing'
          ? [`Saving · ${formatCount(v.rowsCommitted)} of ${formatRows(v.rowsAccepted)}`]
          : [`${v.phase === 'staged' ? 'Checked' : 'Reading'} · ${formatRows(v.rowsRead)}`];
      if (v.rowsPerSecond > 0) parts.push(`${formatCount(v.rowsPerSecond)} rows/s`);
      if (v.etaSeconds !== null) parts.push(`${formatDuration(v.etaSeconds)} left`);
      if (v.cancelRequested) parts.push('cancelling');
      return parts.join(' · ');
    }
    case 'ready':
      return waitsForAdmin(v)
        ? `${formatRows(v.rowsAccepted)} checked · nothing applied · an administrator must review it`
        : `${formatRows(v.rowsAccepted)} checked · waiting for Save`;
    case 'completed':
      return `${formatRows(v.rowsRead)} · done${v.rowsRejected ? ` · ${formatCount(v.rowsRejected)} rejected` : ''}`;
    case 'failed':
      return `Failed after ${formatRows(v.rowsRead)}`;
    case 'cancelled':
      return v.error?.code === 'discarded' ? 'Discarded after review' : 'Cancelled';
    default:
      return STATUS_LABELS[v.status] ?? v.status;
  }
}

/** Imports that stopped short: a percentage would suggest they got somewhere. */
const ENDED: readonly ImportStatus[] = ['failed', 'cancelled', 'reverted'];

/** A bar with its numbers under it; role=progressbar so a screen reader can read the percentage. */
export function progressBar(v: ImportView): HTMLElement {
  const percent = Math.max(0, Math.min(100, v.percent));
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
        'aria-valuetext': `${Math.round(percent)}% · ${progressText(v)}`,
      },
      h('div', { class: 'fill', style: `width: ${percent}%` }),
    ),
    h(
      'div',
      { class: 'progress-text' },
      // A file held for an administrator is read in full but not applied: 100% would say it is done.
      ENDED.includes(v.status) || waitsForAdmin(v)
        ? null
        : [h('span', { class: 'pct' }, `${Math.round(percent)}%`), ' '],
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
  return h(
    'div',
    { class: 'table-wrap' },
    h(
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
    ),
  );
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
