import { saveBlob } from './dom';

/** The API refused; `message` is its own words, shown as they are. */
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

const UNREACHABLE = 'Ledgerport could not be reached. Check your connection and try again.';

async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } & Record<string, unknown> };
    if (body.error?.message) {
      const { code, message, ...details } = body.error;
      return new ApiError(res.status, code ?? 'error', message, details);
    }
  } catch {
    // a proxy's HTML error page
  }
  return new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}.`);
}

function fileNameFrom(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  return m?.[1] ? decodeURIComponent(m[1]) : fallback;
}

/** Calls the API on this origin with the signed-in token. A 401 signs the page out. */
export class Api {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: (message: string) => void = () => {},
  ) {}

  private async send(method: string, path: string, body?: FormData | object): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
    } catch {
      throw new ApiError(0, 'unreachable', UNREACHABLE);
    }
    if (!res.ok) {
      const err = await toApiError(res);
      if (res.status === 401) this.onUnauthorized(err.message);
      throw err;
    }
    return res;
  }

  async get<T>(path: string): Promise<T> {
    return (await (await this.send('GET', path)).json()) as T;
  }

  async post<T>(path: string, body?: FormData | object): Promise<T> {
    return (await (await this.send('POST', path, body)).json()) as T;
  }

  /** For endpoints a server may not have yet: null on 404, so the page can do without. */
  async optional<T>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  /** Fetches a file with the token and saves it; a plain link cannot carry the bearer token. */
  async download(path: string, fallbackName: string): Promise<string> {
    const res = await this.send('GET', path);
    const name = fileNameFrom(res, fallbackName);
    saveBlob(await res.blob(), name);
    return name;
  }

  /** Uploads with progress events (fetch has none), so a 300 MB file does not look frozen. */
  upload<T>(path: string, form: FormData, onProgress: (sent: number, total: number) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('authorization', `Bearer ${this.token}`);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0));
      xhr.addEventListener('error', () => reject(new ApiError(0, 'unreachable', UNREACHABLE)));
      xhr.addEventListener('load', () => {
        const res = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText });
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(JSON.parse(xhr.responseText) as T);
          return;
        }
        void toApiError(res).then((err) => {
          if (xhr.status === 401) this.onUnauthorized(err.message);
          reject(err);
        });
      });
      xhr.send(form);
    });
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? `Something went wrong in this page: ${e.message}` : String(e);
}
