// Hash routes (#/imports/ID) so the API can serve the page as plain files, with no server fallback.

export type Route =
  | { name: 'imports' }
  | { name: 'import'; id: string }
  | { name: 'map'; id: string }
  | { name: 'notifications' }
  | { name: 'attention' }
  | { name: 'receivables'; locationId?: string }
  | { name: 'claim'; id: number }
  | { name: 'payers' }
  | { name: 'patients' }
  | { name: 'patient'; id: string }
  | { name: 'locations' }
  | { name: 'settings' }
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
  if (path === '/receivables') return { name: 'receivables' };
  const rec = /^\/receivables\/([^/]+)$/.exec(path);
  if (rec?.[1]) return { name: 'receivables', locationId: decodeURIComponent(rec[1]) };
  const claim = /^\/claims\/(\d{1,15})$/.exec(path);
  if (claim?.[1]) return { name: 'claim', id: Number(claim[1]) };
  if (path === '/payers') return { name: 'payers' };
  if (path === '/patients') return { name: 'patients' };
  const patient = /^\/patients\/([^/]+)$/.exec(path);
  if (patient?.[1]) return { name: 'patient', id: decodeURIComponent(patient[1]) };
  if (path === '/locations') return { name: 'locations' };
  if (path === '/settings') return { name: 'settings' };
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
  receivables: (locationId?: string) => (locationId ? `#/receivables/${encodeURIComponent(locationId)}` : '#/receivables'),
  claim: (id: number) => `#/claims/${id}`,
  payers: '#/payers',
  patients: '#/patients',
  patient: (id: string) => `#/patients/${encodeURIComponent(id)}`,
  locations: '#/locations',
  settings: '#/settings',
  users: '#/users',
  account: '#/account',
};
