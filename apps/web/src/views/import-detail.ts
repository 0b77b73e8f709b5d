import { ApiError, errorMessage } from '../api';
import { isMoving, kindLabel, type AppContext, type View } from '../context';
import { h, render } from '../dom';
import { formatBytes, formatCount, formatWhen, humanize } from '../format';
import { links } from '../router';
import type { ClaimToResolve, ImportView, Page, Preview, RowError } from '../types';
import { dataTable, importBadge, notice, pager, progressBar } from '../ui';
import { saveReviewQuestion, waitsForAdmin } from '../wording';
import { adminActions, isEmptyReport } from './admin-actions';
import { facts, fileNotices, previewSection, summarySection } from './import-summary';
import { REVIEW_PAGE_SIZE, reviewPanel } from './review-panel';

const ERRORS_PAGE_SIZE = 25;
const DATE_ORDERS: Record<string, string> = {
  MDY: 'Month first (MM/DD/YYYY)',
  DMY: 'Day first (DD/MM/YYYY)',
  YMD: 'Year first (YYYY-MM-DD)',
};

/** One import: what it is, where it got to, what it changed, its rejected rows, and Save for previews. */
export function importDetail(ctx: AppContext, id: string): View {
  let imp: ImportView | null = null;
  let errors: Page<RowError> | null = null;
  let errorsPage = 1;
  let errorsFor = -1;
  let preview: Preview | null | 'none' = null;
  let claims: Page<ClaimToResolve> | null = null;
  let claimsPage = 1;
  let claimsFor = -1;
  let message: HTMLElement | null = null;
  const element = h('div', { class: 'detail' });

  const say = (el: HTMLElement | null) => {
    message = el;
    draw();
  };

  const act = (what: 'commit' | 'discard') => {
    if (what === 'discard' && !window.confirm('Discard this preview? Nothing from the file will be saved.')) return;
    ctx.api.post(`/imports/${encodeURIComponent(id)}/${what}`).then(
      () => {
        ctx.announce(what === 'commit' ? 'Saving the import' : 'Preview discarded');
        say(
          notice(
            'success',
            what === 'commit' ? 'Saving… the progress shows above.' : 'Discarded. Nothing from this file was saved.',
          ),
        );
        ctx.poller.kick();
      },
      (e: unknown) =>
        say(
          notice(
            'error',
            e instanceof ApiError && e.status === 404 && e.code === 'not_found' && imp
              ? 'This server cannot save or discard previews yet. Ask your administrator.'
              : errorMessage(e),
          ),
        ),
    );
  };

  const download = (extra: string, fallbackName: string) => {
    ctx.api.download(`/imports/${encodeURIComponent(id)}/errors?format=csv${extra}`, fallbackName).then(
      (name) => ctx.announce(`Downloaded ${name}`),
      (e: unknown) => say(notice('error', errorMessage(e))),
    );
  };

  function errorsSection(v: ImportView): HTMLElement | null {
    if (!errors || errors.total === 0) return null;
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': 'errors-title' },
      h('h2', { id: 'errors-title' }, `Row errors (${formatCount(errors.total)})`),
      h(
        'p',
        { class: 'muted' },
        v.onInvalid === 'block'
          ? 'Nothing was applied because this import stops on any bad row. Fix these rows and upload the file again.'
          : v.status === 'ready' && v.rowsRejected > 0
            ? `Nothing is applied yet. On Save, these ${formatCount(v.rowsRejected)} rejected rows are skipped, and any claim they name stays as it was.`
            : v.rowsRejected > 0
              ? `The ${formatCount(v.rowsRejected)} rejected rows were skipped; everything else was applied. Fix them in the old system, or in the file of rejected rows below, and upload again.`
              : v.status === 'ready'
                ? 'Warnings only: these rows will be applied on Save, but look at them.'
                : 'Warnings only: these rows were applied, but look at them.',
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', 'data-key': 'download-errors', onclick: () => download('', `${v.fileName}-errors.csv`) },
          'Download errors as CSV',
        ),
        v.rowsRejected > 0
          ? h(
              'button',
              {
                type: 'button',
                'data-key': 'download-rejected',
                onclick: () => download('&annotated=1', `${v.fileName}-rejected-rows.csv`),
              },
              'Download the rejected rows to fix',
            )
          : null,
      ),
      dataTable(
        'Row errors',
        ['Row', 'Column', 'Value', 'What is wrong'],
        errors.items.map((e) => [
          String(e.rowNumber),
          e.column,
          h('code', null, e.value === '' ? '(empty)' : e.value),
          h(
            'span',
            null,
            e.severity === 'warning' ? [h('span', { class: 'badge badge-warning' }, 'Warning'), ' '] : null,
            e.message,
          ),
        ]),
        { captionHidden: true },
      ),
      pager({
        page: errorsPage,
        pageSize: ERRORS_PAGE_SIZE,
        total: errors.total,
        label: 'Pages of row errors',
        keyPrefix: 'errors',
        onPage: (p) => {
          errorsPage = p;
          errorsFor = -1;
          ctx.poller.kick();
        },
      }),
    );
  }

  function draw(): void {
    if (!imp) return;
    const v = imp;
    render(
      element,
      h('p', { class: 'crumbs' }, h('a', { href: links.imports }, '‹ All imports')),
      h('div', { class: 'title' }, h('h1', { tabindex: -1 }, v.fileName), importBadge(v)),
      message,
      v.error && (v.status === 'failed' || v.status === 'cancelled')
        ? notice(
            'error',
            h('strong', null, v.status === 'failed' ? 'This import failed. ' : 'Cancelled. '),
            v.error.message,
          )
        : v.error && isMoving(v)
          ? notice('info', v.error.message)
          : null,
      isEmptyReport(v) && !ctx.isAdmin
        ? notice(
            'info',
            `An administrator of your practice can confirm that ${v.location?.name ?? 'the location'} has no open claims; until then nothing is changed.`,
          )
        : null,
      fileNotices(v),
      h(
        'section',
        { class: 'panel' },
        progressBar(v),
        facts([
          ['Kind', kindLabel(ctx, v.kind)],
          ['Location', v.location?.name ?? null],
          ['Uploaded by', v.createdBy.name ?? 'unknown'],
          ['Uploaded', formatWhen(v.createdAt)],
          ['File', `${formatBytes(v.sizeBytes)}${v.encoding ? ` · ${v.encoding}` : ''}`],
          ['PM system', v.kind === 'aging' && v.format ? humanize(v.format) : null],
          ['Report date', v.reportDate],
          ['Date order', v.dateOrder ? (DATE_ORDERS[v.dateOrder] ?? v.dateOrder) : null],
          ['Mode', v.mode === 'preview' ? 'Preview first' : 'Apply right away'],
          ['Bad rows', v.onInvalid === 'block' ? 'Stop the import' : 'Skip and list them'],
          ['Attempts', v.attempts > 1 ? String(v.attempts) : null],
          ['Finished', formatWhen(v.finishedAt)],
        ]),
        adminActions(ctx, v, {
          onDone: (text) => {
            say(notice('success', text));
            ctx.poller.kick();
          },
          onError: (e) => say(notice('error', errorMessage(e))),
        }),
      ),
      waitsForAdmin(v)
        ? reviewPanel(ctx, v, {
            preview,
            claims,
            claimsPage,
            onClaimsPage: (p) => {
              claimsPage = p;
              claimsFor = -1;
              ctx.poller.kick();
            },
            onSave: () => {
              if (window.confirm(saveReviewQuestion(v))) act('commit');
            },
            onDiscard: () => act('discard'),
          })
        : v.status === 'ready'
          ? previewSection(v, preview, act)
          : null,
      summarySection(v),
      errorsSection(v),
    );
  }

  const refresh = async (): Promise<boolean> => {
    try {
      imp = await ctx.api.get<ImportView>(`/imports/${encodeURIComponent(id)}`);
      // Flagged rows only grow while the file is read; fetch them again only when their count moves.
      const flagged = imp.rowsRejected + imp.rowsWarned;
      if (flagged > 0 && errorsFor !== flagged) {
        errors = await ctx.api.get<Page<RowError>>(
          `/imports/${encodeURIComponent(id)}/errors?page=${errorsPage}&pageSize=${ERRORS_PAGE_SIZE}`,
        );
        errorsFor = flagged;
      }
      if (imp.status === 'ready' && preview === null) {
        preview = (await ctx.api.optional<Preview>(`/imports/${encodeURIComponent(id)}/preview`)) ?? 'none';
      }
      // What a held import would close does not move while it waits: fetched once per page shown.
      if (waitsForAdmin(imp) && claimsFor !== claimsPage) {
        claims = await ctx.api.get<Page<ClaimToResolve>>(
          `/imports/${encodeURIComponent(id)}/review/claims?page=${claimsPage}&pageSize=${REVIEW_PAGE_SIZE}`,
        );
        claimsFor = claimsPage;
      }
    } catch (e) {
      if (!imp)
        render(
          element,
          h('p', { class: 'crumbs' }, h('a', { href: links.imports }, '‹ All imports')),
          h('h1', { tabindex: -1 }, 'Import'),
          notice('error', errorMessage(e)),
        );
      else say(notice('error', errorMessage(e)));
      throw e;
    }
    draw();
    return isMoving(imp);
  };

  return { element, refresh };
}
