import { asImportView, type ImportView } from './import-view.js';

/** The API refused the request; `message` is the API's own words, written for the person at the keyboard. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer at all: wrong URL, the server is down, the network is. Worth retrying later. */
export class ApiUnreachableError extends Error {
  constructor(baseUrl: string, options: { cause: unknown }) {
    const reason =
      options.cause instanceof Error
        ? ((options.cause.cause as Error | undefined)?.message ?? options.cause.message)
        : String(options.cause);
    super(
      `Could not reach the Ledgerport API at ${baseUrl} (${reason}). Check --api-url or LEDGERPORT_API_URL, and that the server is running.`,
      options,
    );
    this.name = 'ApiUnreachableError';
  }
}

export interface UploadRequest {
  file: Blob;
  fileName: string;
  kind: string;
  location?: string;
  format?: string;
  /** aging: how the file's dates read; without it the server decides from the file and says so */
  dateOrder?: 'MDY' | 'DMY' | 'YMD';
  mode?: 'preview' | 'commit';
  onInvalid?: 'skip' | 'block';
  /** patients only: the server skips inactive patients unless told otherwise */
  skipInactive?: boolean;
}

export interface UploadAccepted {
  id: string;
  status: string;
  statusUrl: string;
}

export interface RowError {
  rowNumber: number;
  column: string;
  value: string;
  message: string;
}

export interface Location {
  id: string;
  name: string;
  lastReportDate: string | null;
}

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(opts: ApiClientOptions) {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;

  async function send(method: string, path: string, body?: FormData): Promise<Response> {
    let res: Response;
    try {
      res = await doFetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
        body,
      });
    } catch (e) {
      throw new ApiUnreachableError(baseUrl, { cause: e });
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  async function json(method: string, path: string, body?: FormData): Promise<unknown> {
    return (await send(method, path, body)).json();
  }

  return {
    baseUrl,
    /** Settings the server shares (the upload limit); null when this server does not say. */
    async config(): Promise<{ maxUploadBytes?: number } | null> {
      try {
        return (await json('GET', '/config')) as { maxUploadBytes?: number };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    async upload(u: UploadRequest): Promise<UploadAccepted> {
      const form = new FormData();
      form.append('kind', u.kind);
      if (u.location) form.append('locationId', u.location);
      if (u.format) form.append('format', u.format);
      if (u.dateOrder) form.append('dateOrder', u.dateOrder);
      if (u.mode) form.append('mode', u.mode);
      if (u.onInvalid) form.append('onInvalid', u.onInvalid);
      if (u.skipInactive !== undefined) form.append('skipInactive', String(u.skipInactive));
      // The file goes last so the server knows every field before the bytes arrive.
      form.append('file', u.file, u.fileName);
      return (await json('POST', '/imports', form)) as UploadAccepted;
    },
    async getImport(id: string): Promise<ImportView> {
      return asImportView(await json('GET', `/imports/${encodeURIComponent(id)}`));
    },
    async listErrors(id: string, page: number, pageSize: number): Promise<{ items: RowError[]; total: number }> {
      return (await json('GET', `/imports/${encodeURIComponent(id)}/errors?page=${page}&pageSize=${pageSize}`)) as {
        items: RowError[];
        total: number;
      };
    },
    /** The rejected rows as CSV, streamed: an import can have hundreds of thousands. */
    async errorsCsv(id: string): Promise<ReadableStream<Uint8Array>> {
      const res = await send('GET', `/imports/${encodeURIComponent(id)}/errors?format=csv`);
      if (!res.body) throw new Error('The API sent no CSV body.');
      return res.body;
    },
    async retry(id: string): Promise<UploadAccepted> {
      return (await json('POST', `/imports/${encodeURIComponent(id)}/retry`)) as UploadAccepted;
    },
    async listLocations(): Promise<Location[]> {
      return ((await json('GET', '/locations')) as { items: Location[] }).items;
    },
  };
}

async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } & Record<string, unknown> };
    if (body.error?.message) {
      const { code, message, ...details } = body.error;
      return new ApiError(res.status, code ?? 'error', message, details);
    }
  } catch {
    // not JSON: a proxy's error page, say
  }
  return new ApiError(
    res.status,
    'http_error',
    `The API answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`,
  );
}
