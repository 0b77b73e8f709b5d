import { ApiError, ApiUnreachableError, reasonOf, toApiError } from './errors.js';
import type {
  ClaimToResolve,
  ColumnMapping,
  ColumnMappingRequest,
  DateOrder,
  FileHeader,
  FormatInfo,
  ImportKind,
  ImportListFilter,
  ImportMode,
  ImportView,
  KindInfo,
  Location,
  Me,
  NotificationsPage,
  Page,
  Preview,
  RowErrorGroupsPage,
  RowErrorsPage,
  ServerConfig,
  Severity,
  UploadAccepted,
  ApiTokenInfo,
  PasswordLinkInfo,
  PracticeUser,
  Role,
  SessionStarted,
  UserWithLink,
} from './types.js';
import type {
  ClaimDetail,
  ClaimFilter,
  ClaimTotals,
  ClaimsPage,
  LocationRequest,
  PatientAccount,
  PatientListItem,
  Payer,
  PayerMerged,
  PayerStatus,
  PracticeSettings,
  PracticeSettingsChange,
} from './receivables.types.js';

export interface UploadRequest {
  file: Blob;
  fileName: string;
  kind: ImportKind;
  /** a location's id or name; aging only */
  location?: string | undefined;
  format?: string | undefined;
  /** aging: how the file's dates read; without it the server decides from the file and says so */
  dateOrder?: DateOrder | undefined;
  mode?: ImportMode | undefined;
  onInvalid?: 'skip' | 'block' | undefined;
  /** patients only: the server skips inactive patients unless told otherwise */
  skipInactive?: boolean | undefined;
}

/** The multipart body of an upload: the file last, so the server knows every field before the bytes arrive. */
export function uploadForm(u: UploadRequest): FormData {
  const form = new FormData();
  form.append('kind', u.kind);
  if (u.location) form.append('locationId', u.location);
  if (u.format) form.append('format', u.format);
  if (u.dateOrder) form.append('dateOrder', u.dateOrder);
  if (u.mode) form.append('mode', u.mode);
  if (u.onInvalid) form.append('onInvalid', u.onInvalid);
  if (u.skipInactive !== undefined) form.append('skipInactive', String(u.skipInactive));
  form.append('file', u.file, u.fileName);
  return form;
}

export interface ApiClientOptions {
  /** '' for the page (same origin); the API's URL for the CLI */
  baseUrl?: string;
  /** the CLI's and scripts' API token; absent on the page, which signs in with a session cookie */
  token?: string;
  fetch?: typeof fetch;
  /** A 401: the token is wrong or was withdrawn. The page signs out. */
  onUnauthorized?: (e: ApiError) => void;
}

export interface ErrorQuery {
  page?: number;
  pageSize?: number;
  severity?: Severity;
}

const id = (s: string) => encodeURIComponent(s);

function query(params: Record<string, string | number | boolean | readonly string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length) q.set(k, v.join(','));
    } else q.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** One typed client for the page and the CLI: bearer token, the error envelope, every endpoint they use. */
export function createApiClient(opts: ApiClientOptions) {
  const baseUrl = (opts.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function send(method: string, path: string, body?: FormData | object): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await doFetch(baseUrl + path, { method, headers, body: payload, cache: 'no-store' });
    } catch (e) {
      throw new ApiUnreachableError(baseUrl, reasonOf(e), { cause: e });
    }
    if (!res.ok) {
      const err = toApiError(res.status, res.statusText, await res.text().catch(() => ''));
      if (res.status === 401) opts.onUnauthorized?.(err);
      throw err;
    }
    return res;
  }

  async function json<T>(method: string, path: string, body?: FormData | object): Promise<T> {
    return (await (await send(method, path, body)).json()) as T;
  }

  /** For endpoints a server may not have: null on 404, so the caller can do without. */
  async function optional<T>(path: string): Promise<T | null> {
    try {
      return await json<T>('GET', path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  const imports = (i: string, rest = '') => `/imports/${id(i)}${rest}`;

  return {
    baseUrl,
    send,
    get: <T>(path: string) => json<T>('GET', path),
    post: <T>(path: string, body?: FormData | object) => json<T>('POST', path, body),
    optional,

    me: () => json<Me>('GET', '/me'),
    /** Settings the server shares (the upload limit); null when this server does not say. */
    config: () => optional<ServerConfig>('/config'),
    listLocations: async () => (await json<{ items: Location[] }>('GET', '/locations')).items,
    kinds: () => optional<{ items: KindInfo[] }>('/imports/kinds'),
    formats: () => optional<{ items: FormatInfo[] }>('/formats'),

    upload: (u: UploadRequest) => json<UploadAccepted>('POST', '/imports', uploadForm(u)),
    listImports: (f: ImportListFilter & { page?: number; pageSize?: number } = {}) =>
      json<Page<ImportView>>('GET', `/imports${query({ ...f })}`),
    getImport: async (i: string) => asImportView(await json<unknown>('GET', imports(i))),
    listErrors: (i: string, q: ErrorQuery = {}) => json<RowErrorsPage>('GET', imports(i, `/errors${query({ ...q })}`)),
    errorGroups: (i: string, q: ErrorQuery = {}) =>
      json<RowErrorGroupsPage>('GET', imports(i, `/errors${query({ ...q, group: 'message' })}`)),
    /** The errors as CSV (or, annotated, the rejected rows as they were plus their messages), streamed. */
    errorsCsv: (i: string, o: { annotated?: boolean; severity?: Severity } = {}) =>
      send('GET', imports(i, `/errors${query({ format: 'csv', annotated: o.annotated ? '1' : undefined, severity: o.severity })}`)),
    preview: (i: string) => optional<Preview>(imports(i, '/preview')),
    reviewClaims: (i: string, page: number, pageSize: number) =>
      json<Page<ClaimToResolve>>('GET', imports(i, `/review/claims${query({ page, pageSize })}`)),
    header: (i: string) => json<FileHeader>('GET', imports(i, '/header')),
    commit: (i: string) => json<UploadAccepted>('POST', imports(i, '/commit')),
    discard: (i: string) => json<ImportView>('POST', imports(i, '/discard')),
    retry: (i: string) => json<UploadAccepted>('POST', imports(i, '/retry')),
    cancel: (i: string) => json<ImportView>('POST', imports(i, '/cancel')),
    revert: (i: string) => json<ImportView>('POST', imports(i, '/revert')),
    dismiss: (i: string) => json<ImportView>('POST', imports(i, '/dismiss')),
    confirmEmpty: (i: string) => json<UploadAccepted>('POST', imports(i, '/confirm-empty')),
    saveColumnMapping: (m: ColumnMappingRequest) => json<ColumnMapping>('POST', '/column-mappings', m),

    practiceSettings: () => json<PracticeSettings>('GET', '/practice/settings'),
    updatePracticeSettings: (c: PracticeSettingsChange) => json<PracticeSettings>('PATCH', '/practice/settings', c),
    /** archived ones included */
    allLocations: async () => (await json<{ items: Location[] }>('GET', '/locations?archived=1')).items,
    createLocation: (l: LocationRequest & { name: string }) => json<Location>('POST', '/locations', l),
    updateLocation: (l: string, c: LocationRequest) => json<Location>('PATCH', `/locations/${id(l)}`, c),

    claims: (l: string, f: ClaimFilter & { page?: number; pageSize?: number } = {}) =>
      json<ClaimsPage>('GET', `/locations/${id(l)}/claims${query({ ...f })}`),
    claimTotals: (l: string) => json<ClaimTotals>('GET', `/locations/${id(l)}/claims/totals`),
    claimsCsv: (l: string, f: ClaimFilter = {}) => send('GET', `/locations/${id(l)}/claims.csv${query({ ...f })}`),
    claim: (c: number) => json<ClaimDetail>('GET', `/claims/${c}`),
    payers: async () => (await json<{ items: Payer[] }>('GET', '/payers')).items,
    setPayerStatus: (p: number, status: PayerStatus) => json<Payer>('PATCH', `/payers/${p}`, { status }),
    mergePayer: (from: number, into: number) => json<PayerMerged>('POST', `/payers/${from}/merge`, { into }),
    patients: (q: { search?: string; page?: number; pageSize?: number } = {}) =>
      json<Page<PatientListItem>>('GET', `/patients${query({ ...q })}`),
    patient: (p: string) => json<PatientAccount>('GET', `/patients/${id(p)}`),

    notifications: (q: { page?: number; pageSize?: number; unread?: boolean } = {}) =>
      json<NotificationsPage>('GET', `/notifications${query({ ...q, unread: q.unread ? '1' : undefined })}`),
    markRead: (n: number) => json<{ id: number; read: true }>('POST', `/notifications/${n}/read`),
    markAllRead: () => json<{ marked: number }>('POST', '/notifications/read-all'),

    // People: the page's sign-in, invitation and reset links, the practice's users, one's own API tokens.
    signIn: (email: string, password: string) => json<SessionStarted>('POST', '/session', { email, password }),
    signOut: async () => void (await send('POST', '/session/sign-out')),
    passwordLink: (token: string) => json<PasswordLinkInfo>('GET', `/password-links/${id(token)}`),
    setPassword: (token: string, password: string) =>
      json<SessionStarted>('POST', `/password-links/${id(token)}`, { password }),
    listUsers: async () => (await json<{ items: PracticeUser[] }>('GET', '/users')).items,
    inviteUser: (u: { email: string; name: string; role: Role }) => json<UserWithLink>('POST', '/users', u),
    changeUser: (userId: string, change: { role?: Role; active?: boolean }) =>
      json<PracticeUser>('PATCH', `/users/${id(userId)}`, change),
    passwordLinkFor: (userId: string) => json<UserWithLink>('POST', `/users/${id(userId)}/password-link`),
    listTokens: async () => (await json<{ items: ApiTokenInfo[] }>('GET', '/tokens')).items,
    createToken: (t: { label: string; expiresInDays?: number }) => json<ApiTokenInfo & { token: string }>('POST', '/tokens', t),
    revokeToken: (tokenId: string) => json<{ id: string; revoked: true }>('DELETE', `/tokens/${id(tokenId)}`),
  };
}

/** A body that says it is an import, or an error naming what came instead (a proxy's page, say). */
export function asImportView(body: unknown): ImportView {
  const v = body as Partial<ImportView> | null;
  if (!v || typeof v.id !== 'string' || typeof v.status !== 'string') {
    throw new ApiError(
      200,
      'not_an_import',
      `The server answered with something that is not an import: ${JSON.stringify(body).slice(0, 200)}`,
    );
  }
  return v as ImportView;
}

/** A file name the server gives in Content-Disposition, or the fallback. */
export function fileNameFrom(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain?.[1] ?? fallback;
}
