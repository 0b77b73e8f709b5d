// Hash routes (#/imports/ID) so the API can serve the page as plain files, with no server fallback.

export type Route =
  | { name: 'imports' }
  | { name: 'import'; id: string }
  | { name: 'map'; id: string }
  | { name: 'notifications' }
  | { name: 'attention' }
  | { name: 'users' }
  | { name: 'account' }
  | { name: 'set-password'; token: string }
  | { name: 'unknown'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/imports') return { name: 'imports' };
  const m = /^\/imports\/([^/]+)$/.exec(path);
  if (m?.[1]) return { name: 'import', id: decodeURIComponent(m[1]) };
  const map = /^\/imports\/([^/]+)\/map$/.exec(path);
  if (map?.[1]) return { name: 'map', id: decodeURIComponent(map[1]) };
  if (path === '/notifications') return { name: 'notifications' };
  if (path === '/attention') return { name: 'attention' };
  if (path === '/users') return { name: 'users' };
  if (path === '/account') return { name: 'account' };
  const pw = /^\/set-password\/([^/]+)$/.exec(path);
  if (pw?.[1]) return { name: 'set-password', token: decodeURIComponent(pw[1]) };
  return { name: 'unknown', path };
}

/** API links such as "/imports/ID" (in notifications) as page links. */
export function pageLink(apiLink: string | null): string | null {
  if (!apiLink) return null;
  return apiLink.startsWith('/imports/') ? `#${apiLink}` : null;
}

export const links = {
  imports: '#/',
  import: (id: string) => `#/imports/${encodeURIComponent(id)}`,
  map: (id: string) => `#/imports/${encodeURIComponent(id)}/map`,
  notifications: '#/notifications',
  attention: '#/attention',
  users: '#/users',
  account: '#/account',
};
