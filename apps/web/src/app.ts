import { createApi, errorMessage } from './api';
import { FALLBACK_KINDS, type AppContext, type View } from './context';
import { h, render } from './dom';
import { Poller } from './poller';
import { links, parseRoute, type Route } from './router';
import { returnTo, session } from './session';
import type { FormatInfo, KindInfo, Location, Me, ServerConfigShape } from './types';
import { bellIcon, notice } from './ui';
import { attentionPage } from './views/attention-page';
import { importDetail } from './views/import-detail';
import { mappingPage } from './views/mapping-page';
import { importsPage } from './views/imports-page';
import { notificationsPage } from './views/notifications-page';
import { signIn } from './views/sign-in';

/** Shows the sign-in form, or the signed-in page when this tab already has a token. */
export function boot(root: HTMLElement): void {
  const token = session.get();
  if (token) void start(root, token);
  else signIn(root, (t, me) => void start(root, t, me));
}

/** Signs out, remembering the page the user was on: signing in again goes back to it. */
function signOut(root: HTMLElement, reason?: string): void {
  session.clear();
  window.onhashchange = null;
  returnTo.remember(window.location.hash);
  signIn(
    root,
    (t, me) => {
      const back = returnTo.take();
      if (back && back !== window.location.hash) window.location.hash = back;
      void start(root, t, me);
    },
    reason,
  );
}

async function start(root: HTMLElement, token: string, knownMe?: Me): Promise<void> {
  let poller: Poller | null = null;
  let ended = false;
  const api = createApi(token, (message) => {
    if (ended) return;
    ended = true;
    poller?.stop();
    signOut(root, `You were signed out: ${message}`);
  });
  let me: Me;
  let locations: Location[];
  let kinds: { items: KindInfo[] } | null;
  let formats: { items: FormatInfo[] } | null;
  let config: ServerConfigShape | null;
  try {
    [me, locations, kinds, formats, config] = await Promise.all([
      knownMe ? Promise.resolve(knownMe) : api.me(),
      api.listLocations(),
      api.kinds(),
      api.formats(),
      api.config(),
    ]);
  } catch (e) {
    if (!ended)
      render(
        root,
        h(
          'main',
          { id: 'main', class: 'sign-in-page' },
          notice('error', errorMessage(e)),
          h('button', { type: 'button', onclick: () => signOut(root) }, 'Sign out'),
        ),
      );
    return;
  }
  session.set(token);

  // One polite live region for the whole page: completions, failures, downloads are said once.
  const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'announcer' });
  const bellCount = h('span', { class: 'count', hidden: true });
  const bell = h(
    'a',
    { href: links.notifications, class: 'bell', 'aria-label': 'Notifications' },
    bellIcon(),
    bellCount,
  );
  const main = h('main', { id: 'main', tabindex: -1 });
  const navLinks = {
    imports: h('a', { href: links.imports }, 'Imports'),
    attention: h('a', { href: links.attention }, 'Needs attention'),
  };

  let view: View | null = null;
  let focusHeading = false;
  poller = new Poller(async () => {
    const [busy] = await Promise.all([view ? view.refresh() : Promise.resolve(false), ctx.refreshBell()]);
    // After a navigation, focus the new page's heading once it is there: a screen reader then
    // announces the page, and Tab carries on from the top of it.
    if (focusHeading) {
      focusHeading = false;
      (main.querySelector<HTMLElement>('h1') ?? main).focus();
    }
    return busy;
  });

  const ctx: AppContext = {
    api,
    me,
    isAdmin: me.role === 'admin',
    locations,
    kinds: kinds?.items.length ? kinds.items : FALLBACK_KINDS,
    kindsFromServer: Boolean(kinds?.items.length),
    formats: formats?.items ?? null,
    maxUploadBytes: config?.maxUploadBytes ?? null,
    poller,
    announce(text) {
      announcer.textContent = '';
      window.setTimeout(() => (announcer.textContent = text), 50);
    },
    async refreshBell() {
      try {
        const { unread } = await api.notifications({ pageSize: 1 });
        bellCount.textContent = unread > 99 ? '99+' : String(unread);
        bellCount.hidden = unread === 0;
        bell.setAttribute('aria-label', unread ? `Notifications: ${unread} unread` : 'Notifications: none unread');
      } catch {
        // the bell keeps its last count; the view on screen shows the error
      }
    },
  };

  const skip = h(
    'a',
    { class: 'skip', href: '#main', onclick: (e: Event) => (e.preventDefault(), main.focus()) },
    'Skip to content',
  );
  render(
    root,
    skip,
    h(
      'header',
      { class: 'top' },
      h('a', { class: 'brand', href: links.imports }, 'Ledgerport'),
      h(
        'div',
        { class: 'who' },
        h('span', { class: 'practice' }, me.practice.name),
        h('span', { class: 'user' }, me.user.name, ' ', h('span', { class: `role role-${me.role}` }, me.role)),
      ),
      h(
        'nav',
        { 'aria-label': 'Main' },
        navLinks.imports,
        navLinks.attention,
        bell,
        h(
          'button',
          { type: 'button', class: 'link', 'data-key': 'sign-out', onclick: () => (poller?.stop(), (ended = true), signOut(root)) },
          'Sign out',
        ),
      ),
    ),
    main,
    announcer,
  );

  const mount = (route: Route, focus: boolean) => {
    view?.dispose?.();
    switch (route.name) {
      case 'imports':
        view = importsPage(ctx);
        break;
      case 'import':
        view = importDetail(ctx, route.id);
        break;
      case 'map':
        view = mappingPage(ctx, route.id);
        break;
      case 'notifications':
        view = notificationsPage(ctx);
        break;
      case 'attention':
        view = attentionPage(ctx);
        break;
      default:
        view = {
          element: h(
            'div',
            null,
            h('h1', { tabindex: -1 }, 'Not found'),
            h('p', null, 'There is no such page. ', h('a', { href: links.imports }, 'Go to the imports.')),
          ),
          refresh: () => Promise.resolve(false),
        };
    }
    for (const [name, a] of Object.entries(navLinks)) {
      if (name === route.name || (name === 'imports' && (route.name === 'import' || route.name === 'map')))
        a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (route.name === 'notifications') bell.setAttribute('aria-current', 'page');
    else bell.removeAttribute('aria-current');
    render(main, view.element);
    focusHeading = focus;
    poller?.kick();
  };

  window.onhashchange = () => mount(parseRoute(window.location.hash), true);
  mount(parseRoute(window.location.hash), false);
  poller.start();
}
