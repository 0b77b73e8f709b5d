import { downloadName, type RowErrorCounts, type RowErrorGroupsPage, type RowErrorsPage } from '@ledgerport/api-client';
import type { AppContext } from '../context';
import { h } from '../dom';
import { formatCount, plural } from '../format';
import type { ImportView, Severity } from '../types';
import { dataTable, pager } from '../ui';
import { errorsSentence, warningsSentence } from '../wording';

const PAGE_SIZE = 25;

/**
 * An import's row errors (rows not applied) and warnings (rows applied, worth a look), never counted
 * together: one or the other at a time, grouped by message with how many rows have it (3,705 alike
 * warnings are one line), or row by row.
 */
export function errorsSection(ctx: AppContext, id: string, on: { say: (e: unknown) => void; announce: (text: string) => void }) {
  let severity: Severity | null = null;
  let grouped = true;
  let page = 1;
  let data: RowErrorsPage | RowErrorGroupsPage | null = null;
  let loadedKey = '';
  let dataGrouped = true;

  const key = (v: ImportView) => [v.rowsRejected + v.rowsWarned, severity, grouped, page].join('|');

  /** Fetched again only when the rows flagged, the filter or the page changed. */
  async function load(v: ImportView): Promise<void> {
    if (v.rowsRejected + v.rowsWarned === 0) {
      data = null;
      return;
    }
    severity ??= v.rowsRejected > 0 ? 'error' : 'warning';
    if (key(v) === loadedKey) return;
    const q = { page, pageSize: PAGE_SIZE, severity };
    data = grouped ? await ctx.api.errorGroups(id, q) : await ctx.api.listErrors(id, q);
    dataGrouped = grouped;
    loadedKey = key(v);
  }

  const download = (v: ImportView, annotated: boolean) => {
    const res = ctx.api.errorsCsv(id, annotated ? { annotated: true } : severity ? { severity } : {});
    const name = annotated ? downloadName(v.fileName, 'rejected rows') : downloadName(v.fileName, severity === 'warning' ? 'warnings' : 'errors');
    ctx.api.download(res, name).then((saved) => on.announce(`Downloaded ${saved}`), on.say);
  };

  const choose = (s: Severity) => {
    severity = s;
    page = 1;
    ctx.poller.kick();
  };

  function render(v: ImportView): HTMLElement | null {
    if (!data || !severity) return null;
    const counts: RowErrorCounts = data.counts;
    const shown = severity;
    const tab = (s: Severity, label: string, n: number) =>
      h(
        'button',
        {
          type: 'button',
          class: s === shown ? 'tab current' : 'tab',
          'aria-pressed': s === shown ? 'true' : 'false',
          'data-key': `errors-${s}`,
          disabled: n === 0,
          onclick: () => choose(s),
        },
        `${label} (${formatCount(n)})`,
      );
    const title = shown === 'error' ? `Rows not applied: errors (${formatCount(counts.errors)})` : `Warnings (${formatCount(counts.warnings)})`;
    const groups = dataGrouped ? (data as RowErrorGroupsPage) : null;
    const rows = dataGrouped ? null : (data as RowErrorsPage);
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': 'errors-title' },
      h('h2', { id: 'errors-title' }, title),
      h(
        'div',
        { class: 'actions filters', role: 'group', 'aria-label': 'Show errors or warnings' },
        tab('error', 'Errors', counts.errors),
        tab('warning', 'Warnings', counts.warnings),
        h(
          'label',
          { class: 'check inline' },
          h('input', {
            type: 'checkbox',
            checked: grouped,
            'data-key': 'errors-grouped',
            onchange: () => {
              grouped = !grouped;
              page = 1;
              ctx.poller.kick();
            },
          }),
          ' One line per message',
        ),
      ),
      h('p', { class: 'muted' }, shown === 'error' ? errorsSentence(v, v.rowsRejected) : warningsSentence(v)),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', 'data-key': 'download-errors', onclick: () => download(v, false) }, shown === 'error' ? 'Download the errors as CSV' : 'Download the warnings as CSV'),
        shown === 'error' && v.rowsRejected > 0 && !v.fileDeletedAt
          ? h('button', { type: 'button', 'data-key': 'download-rejected', onclick: () => download(v, true) }, 'Download the rejected rows to fix')
          : null,
      ),
      groups
        ? dataTable(
            shown === 'error' ? 'Errors by message' : 'Warnings by message',
            ['Rows', 'Column', 'What is wrong', 'First row', 'For example'],
            groups.items.map((g) => [
              formatCount(g.count),
              g.column,
              g.message,
              formatCount(g.firstRow),
              h('code', null, g.example === '' ? '(empty)' : g.example),
            ]),
            { captionHidden: true },
          )
        : dataTable(
            shown === 'error' ? 'Row errors' : 'Row warnings',
            ['Row', 'Column', 'Value', 'What is wrong'],
            (rows?.items ?? []).map((e) => [formatCount(e.rowNumber), e.column, h('code', null, e.value === '' ? '(empty)' : e.value), e.message]),
            { captionHidden: true },
          ),
      pager({
        page,
        pageSize: PAGE_SIZE,
        total: data.total,
        label: groups ? 'Pages of messages' : 'Pages of rows',
        keyPrefix: 'errors',
        onPage: (p) => {
          page = p;
          ctx.poller.kick();
        },
      }),
      groups ? h('p', { class: 'muted' }, `${plural(groups.total, 'message')} in all.`) : null,
    );
  }

  return { load, render };
}
