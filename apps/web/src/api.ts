// The page's side of packages/api-client: the shared typed client on this origin, plus what only a
// browser does (save a download as a file, upload with progress events).
import {
  ApiError,
  ApiUnreachableError,
  createApiClient,
  fileNameFrom,
  toApiError,
  uploadForm,
  type ApiClient,
  type UploadAccepted,
  type UploadRequest,
} from '@ledgerport/api-client';
import { saveBlob } from './dom';

export { ApiError };

const UNREACHABLE = 'Ledgerport could not be reached. Check your connection and try again.';

export type Api = ApiClient & {
  /** Fetches a file and saves it under the server's name for it. */
  download(res: Promise<Response>, fallbackName: string): Promise<string>;
  /** Uploads with progress events (fetch has none), so a 300 MB file does not look frozen. */
  uploadWithProgress(u: UploadRequest, onProgress: (sent: number, total: number) => void): Promise<UploadAccepted>;
};

/**
 * Calls the API on this origin as the signed-in person: the browser sends the session cookie (HttpOnly,
 * so this page never holds a secret). A 401 signs the page out.
 */
export function createApi(onUnauthorized: (message: string) => void = () => {}): Api {
  const client = createApiClient({ onUnauthorized: (e) => onUnauthorized(e.message) });
  return {
    ...client,
    async download(res, fallbackName) {
      const r = await res;
      const name = fileNameFrom(r, fallbackName);
      saveBlob(await r.blob(), name);
      return name;
    },
    uploadWithProgress(u, onProgress) {
      return new Promise<UploadAccepted>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', '/imports');
        xhr.setRequestHeader('accept', 'application/json');
        xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0));
        xhr.addEventListener('error', () => reject(new ApiUnreachableError('', 'the upload was cut off')));
        xhr.addEventListener('load', () => {
          if (xhr.status >= 200 && xhr.status < 300) {
            resolve(JSON.parse(xhr.responseText) as UploadAccepted);
            return;
          }
          const err = toApiError(xhr.status, xhr.statusText, xhr.responseText);
          if (xhr.status === 401) onUnauthorized(err.message);
          reject(err);
        });
        xhr.send(uploadForm(u));
      });
    },
  };
}

/** The words to show for a failure: the API's own, or plain ones when it could not be reached. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiUnreachableError) return UNREACHABLE;
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? `Something went wrong in this page: ${e.message}` : String(e);
}
