import { errorMessage } from '../api';
import { isMoving, kindLabel, type AppContext, type View } from '../context';
import { h, render } from '../dom';
import { formatWhen } from '../format';
import { links } from '../router';
import type { ImportView, Page } from '../types';
import { dataTable, importBadge, notice, pager, progressBar } from '../ui';
import { waitsForAdmin } from '../wording';
import type { ImportListFilter } from '@ledgerport/api-client';
import { importFilters } from './import-filters';
import { uploadForm } from './upload-form';

const PAGE_SIZE = 20;

/** The home screen: the upload panel, and every import of the practice, newest first, moving live. */
export function importsPage(ctx: AppContext): View {
  let page = 1;
  let fresh: string | null = null;
  let filter: ImportListFilter = {};
  const filtering = () => Object.values(filter).some((v) => v !== undefined);
  const seen = new Map<string, string>();
  const list = h('section', { class: 'panel', 'aria-labelledby': 'imports-title' });
  const element = h(
    'div',
    { class: 'imports-page' },
    h('h1', { class: 'sr-only', tabindex: -1 }, 'Imports'),
    h(
      'section',
      { class: 'panel' },
      uploadForm(ctx, (id) => {
        fresh = id;
        page = 1;
        ctx.poller.kick();
      }),
    ),
    h(
      'section',
      { class: 'panel' },
      importFilters(ctx, (f) => {
        filter = f;
        page = 1;
        ctx.poller.kick();
      }),
    ),
    list,
  );

  const refresh = async (): Promise<boolean> => {
    let data: Page<ImportView>;
    try {
      data = await ctx.api.listImports({ ...filter, page, pageSize: PAGE_SIZE });
    } catch (e) {
      render(list, h('h2', { id: 'imports-title' }, 'Imports'), notice('error', errorMessage(e)));
      throw e;
    }
    // Said once in the live region: the file just uploaded has finished, or failed.
    for (const v of data.items) {
      const before = seen.get(v.id);
      if (before && (before === 'queued' || before === 'running') && !isMoving(v))
        ctx.announce(`${v.fileName}: ${importBadge(v).textContent ?? v.status}.`);
      seen.set(v.id, v.status);
    }
    const rows = data.items.map((v) => [
      h('a', { href: links.import(v.id), 'data-key': `open-${v.id}`, class: 'file' }, v.fileName),
      kindLabel(ctx, v.kind),
      v.location?.name ?? '—',
      h('span', null, v.createdBy.name ?? 'unknown', h('br'), h('span', { class: 'muted' }, formatWhen(v.createdAt))),
      importBadge(v),
      progressBar(v),
    ]);
    render(
      list,
      h('h2', { id: 'imports-title' }, 'Imports'),
      data.total === 0
        ? h(
            'p',
            { class: 'empty' },
            filtering()
              ? 'No import matches these filters.'
              : 'Nothing has been uploaded yet. Files you upload appear here with their progress.',
          )
        : dataTable('Imports, newest first', ['File', 'Kind', 'Location', 'Uploaded by', 'Status', 'Progress'], rows, {
            captionHidden: true,
            rowClass: (i) => {
              const v = data.items[i];
              return (
                [v?.id === fresh ? 'fresh' : '', v && waitsForAdmin(v) ? 'needs-review' : ''].join(' ').trim() || null
              );
            },
          }),
      pager({
        page,
        pageSize: PAGE_SIZE,
        total: data.total,
        label: 'Pages of imports',
        keyPrefix: 'imports',
        onPage: (p) => {
          page = p;
          ctx.poller.kick();
        },
      }),
    );
    return data.items.some(isMoving);
  };

  return { element, refresh };
}
