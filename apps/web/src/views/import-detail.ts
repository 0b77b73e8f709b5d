import { downloadName } from '@ledgerport/api-client';
import { ApiError, errorMessage } from '../api';
import { isMoving, kindLabel, type AppContext, type View } from '../context';
import { h, render } from '../dom';
import { formatBytes, formatDate, formatWhen, humanize } from '../format';
import { links } from '../router';
import type { ClaimToResolve, ImportStatus, ImportView, Page, Preview } from '../types';
import { importBadge, notice, progressBar } from '../ui';
import { importState, saveReviewQuestion, STATE_LABELS, stateSentence, waitsForAdmin, type ImportState } from '../wording';
import { adminActions } from './admin-actions';
import { errorsSection } from './errors-section';
import { failureHelp } from './failure-help';
import { facts, fileNotices, previewSection, summarySection } from './import-summary';
import { REVIEW_PAGE_SIZE, reviewPanel } from './review-panel';

const DATE_ORDERS: Record<string, string> = {
  MDY: 'Month first (MM/DD/YYYY)',
  DMY: 'Day first (DD/MM/YYYY)',
  YMD: 'Year first (YYYY-MM-DD)',
};

/** How each state's sentence is shown: a failure is an alert, a normal choice (a discard) is not. */
const TONE: Record<ImportState, 'info' | 'success' | 'warning' | 'error'> = {
  queued: 'info',
  resuming: 'info',
  reading: 'info',
  saving: 'info',
  cancelling: 'warning',
  ready: 'info',
  waits_for_admin: 'warning',
  completed: 'success',
  completed_with_rejections: 'warning',
  failed: 'error',
  cancelled: 'info',
  discarded: 'info',
  reverted: 'info',
};

const SETTLED: readonly ImportStatus[] = ['ready', 'completed', 'failed', 'cancelled', 'reverted'];

/** One import: what it is, where it got to, what it changed, its rejected rows, and Save for previews. */
export function importDetail(ctx: AppContext, id: string): View {
  let imp: ImportView | null = null;
  let lastState: ImportState | null = null;
  let preview: Preview | null | 'none' = null;
  let claims: Page<ClaimToResolve> | null = null;
  let claimsPage = 1;
  let claimsFor = -1;
  /**
   * What an action or a failed refresh said. A failed refresh's banner (`from` null) goes with the
   * next good answer; an action's stays through the state it led to (`to`), and goes after that.
   */
  let message: { el: HTMLElement; from: ImportState | null; to: ImportState | null } | null = null;
  const element = h('div', { class: 'detail' });

  const say = (el: HTMLElement | null, from: ImportState | null = null) => {
    message = el ? { el, from, to: null } : null;
    draw();
  };
  const sayError = (e: unknown) => say(notice('error', errorMessage(e)));
  const errors = errorsSection(ctx, id, { say: sayError, announce: (t) => ctx.announce(t) });

  const act = (what: 'commit' | 'discard') => {
    if (what === 'discard' && !window.confirm('Discard this preview? Nothing from the file will be saved.')) return;
    (what === 'commit' ? ctx.api.commit(id) : ctx.api.discard(id)).then(
      () => {
        // The state says what happened (Saving…, Discarded); no second message to go stale.
        message = null;
        ctx.announce(what === 'commit' ? 'Saving the import' : 'Preview discarded; nothing was saved');
        ctx.poller.kick();
      },
      (e: unknown) =>
        sayError(
          e instanceof ApiError && e.status === 404 && e.code === 'not_found' && imp
            ? new Error('This server cannot save or discard previews yet. Ask your administrator.')
            : e,
        ),
    );
  };

  const downloadRejected = () => {
    if (!imp) return;
    ctx.api
      .download(ctx.api.errorsCsv(id, { annotated: true }), downloadName(imp.fileName, 'rejected rows'))
      .then((name) => ctx.announce(`Downloaded ${name}`), sayError);
  };

  function draw(): void {
    if (!imp) return;
    const v = imp;
    const state = importState(v);
    render(
      element,
      h('p', { class: 'crumbs' }, h('a', { href: links.imports, 'data-key': 'crumb-imports' }, '‹ All imports')),
      h('div', { class: 'title' }, h('h1', { tabindex: -1 }, v.fileName), importBadge(v)),
      message?.el ?? null,
      notice(
        TONE[state],
        h('strong', null, `${state === 'completed_with_rejections' ? 'Completed with rejected rows' : STATE_LABELS[state]}. `),
        stateSentence(v),
        state === 'failed' && v.error?.code === 'unrecognized_layout' && v.kind === 'aging'
          ? [' ', h('a', { href: links.map(v.id), 'data-key': 'map-link' }, 'Map the columns of this file')]
          : null,
      ),
      failureHelp(ctx, v, downloadRejected),
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
          ['PM system', v.kind === 'aging' && v.format && !v.format.startsWith('mapping:') ? humanize(v.format) : v.format ? 'Your column mapping' : null],
          ['Report date', formatDate(v.reportDate)],
          ['Date order', v.dateOrder ? (DATE_ORDERS[v.dateOrder] ?? v.dateOrder) : null],
          ['Bad rows', v.onInvalid === 'block' ? 'Stop the import' : 'Skip and list them'],
          // Tries matter when it failed; while it runs, a second try is only an interruption it survived.
          ['Tries', v.status === 'failed' && v.attempts > 1 ? String(v.attempts) : null],
          ['Finished', formatWhen(v.finishedAt)],
          // Retention (or a discard) deleted the stored file and what was read from its cells.
          ['File deleted', v.fileDeletedAt ? `${formatWhen(v.fileDeletedAt)}; what it imported stays` : null],
          ['Dismissed', v.dismissed ? formatWhen(v.dismissed.at) : null],
        ]),
        adminActions(ctx, v, {
          onDone: (text) => {
            say(notice('success', text), state);
            ctx.poller.kick();
          },
          onError: sayError,
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
      errors.render(v),
    );
  }

  const refresh = async (): Promise<boolean> => {
    try {
      imp = await ctx.api.getImport(id);
      await errors.load(imp);
      if (imp.status === 'ready' && preview === null) preview = (await ctx.api.preview(id)) ?? 'none';
      if (imp.status !== 'ready') preview = null;
      // What a held import would close does not move while it waits: fetched once per page shown.
      if (waitsForAdmin(imp) && claimsFor !== claimsPage) {
        claims = await ctx.api.reviewClaims(id, claimsPage, REVIEW_PAGE_SIZE);
        claimsFor = claimsPage;
      }
    } catch (e) {
      if (!imp)
        render(
          element,
          h('p', { class: 'crumbs' }, h('a', { href: links.imports, 'data-key': 'crumb-imports' }, '‹ All imports')),
          h('h1', { tabindex: -1 }, 'Import'),
          notice('error', errorMessage(e)),
        );
      else say(notice('error', errorMessage(e)));
      throw e;
    }
    const v = imp;
    const state = importState(v);
    if (message) {
      if (message.from === null) message = null;
      else if (message.to === null) {
        if (state !== message.from) message.to = state;
      } else if (state !== message.to) message = null;
    }
    // Completion and failure are said in the live region, once, as they happen on screen.
    if (lastState !== null && lastState !== state && SETTLED.includes(v.status))
      ctx.announce(`${v.fileName}: ${state === 'completed_with_rejections' ? 'completed with rejected rows' : STATE_LABELS[state].toLowerCase()}. ${stateSentence(v)}`);
    lastState = state;
    draw();
    return isMoving(v);
  };

  return { element, refresh };
}
