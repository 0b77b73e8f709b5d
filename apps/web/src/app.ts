import { createApi, errorMessage } from './api';
import { FALLBACK_KINDS, type AppContext, type View } from './context';
import { h, render } from './dom';
import { Poller } from './poller';
import { links, parseRoute, type Route } from './router';
import { returnTo } from './session';
import type { FormatInfo, KindInfo, Location, Me, ServerConfigShape } from './types';
import { bellIcon, notice } from './ui';
import { attentionPage } from './views/attention-page';
import { importDetail } from './views/import-detail';
import { mappingPage } from './views/mapping-page';
import { importsPage } from './views/imports-page';
import { notificationsPage } from './views/notifications-page';
import { signIn } from './views/sign-in';
import { claimPage } from './views/claim-page';
import { locationsPage } from './views/locations-page';
import { patientPage, patientsPage } from './views/patients-page';
import { payersPage } from './views/payers-page';
import { receivablesPage } from './views/receivables-page';
import { settingsPage } from './views/settings-page';
import { setPassword } from './views/set-password';
import { usersPage } from './views/users-page';
import { accountPage } from './views/account-page';

/**
 * An invitation or reset link's page; else the signed-in page when the browser still has a live
 * session (the cookie is HttpOnly: asking /me is how the page finds out), else the sign-in form.
 */
export function boot(root: HTMLElement): void {
  const route = parseRoute(window.location.hash);
  if (route.name === 'set-password') {
    setPassword(root, route.token, (me) => void start(root, me), () => signOut(root));
    return;
  }
  createApi()
    .me()
    .then(
      (me) => void start(root, me),
      () => showSignIn(root),
    );
}

function showSignIn(root: HTMLElement, reason?: string): void {
  window.onhashchange = null;
  signIn(
    root,
    (me) => {
      const back = returnTo.take();
      if (back && back !== window.location.hash) window.location.hash = back;
      void start(root, me);
    },
    reason,
  );
}

/** Signs out (the server ends the session), remembering the page the user was on for the next sign-in. */
function signOut(root: HTMLElement, reason?: string, endOnServer = true): void {
  window.onhashchange = null;
  returnTo.remember(window.location.hash);
  if (window.location.hash.startsWith('#/set-password/')) window.location.hash = '#/';
  const shown = () => showSignIn(root, reason);
  if (endOnServer) createApi().signOut().then(shown, shown);
  else shown();
}

async function start(root: HTMLElement, knownMe?: Me): Promise<void> {
  let poller: Poller | null = null;
  let ended = false;
  const api = createApi((message) => {
    if (ended) return;
    ended = true;
    poller?.stop();
    signOut(root, `You were signed out: ${message}`, false);
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
    receivables: h('a', { href: links.receivables() }, 'Receivables'),
    payers: h('a', { href: links.payers }, 'Payers'),
    patients: h('a', { href: links.patients }, 'Patients'),
    ...(me.role === 'admin'
      ? { locations: h('a', { href: links.locations }, 'Locations'), settings: h('a', { href: links.settings }, 'Settings') }
      : {}),
    ...(me.role === 'admin' ? { users: h('a', { href: links.users }, 'Users') } : {}),
    account: h('a', { href: links.account }, 'Your account'),
  };
  // Which nav link a page belongs under: a claim under Receivables, a patient under Patients.
  const SECTION: Partial<Record<Route['name'], string>> = { import: 'imports', map: 'imports', claim: 'receivables', patient: 'patients' };

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
        Object.values(navLinks),
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
      case 'receivables':
        view = receivablesPage(ctx, route.locationId);
        break;
      case 'claim':
        view = claimPage(ctx, route.id);
        break;
      case 'payers':
        view = payersPage(ctx);
        break;
      case 'patients':
        view = patientsPage(ctx);
        break;
      case 'patient':
        view = patientPage(ctx, route.id);
        break;
      case 'locations':
        view = locationsPage(ctx);
        break;
      case 'settings':
        view = settingsPage(ctx);
        break;
      case 'users':
        view = ctx.isAdmin ? usersPage(ctx) : notForStaff();
        break;
      case 'account':
        view = accountPage(ctx);
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
      if (name === route.name || name === SECTION[route.name])
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

function notForStaff(): View {
  return {
    element: h(
      'div',
      null,
      h('h1', { tabindex: -1 }, 'Only for administrators'),
      h('p', null, 'Your practice administrator manages users. ', h('a', { href: links.imports }, 'Go to the imports.')),
    ),
    refresh: () => Promise.resolve(false),
  };
}
