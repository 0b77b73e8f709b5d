// What the benchmark does over HTTP: upload a file the way the CLI does, and poll its status.
import { openAsBlob } from 'node:fs';
import path from 'node:path';

export interface ApiTarget {
  url: string;
  token: string;
}

export interface UploadResult {
  status: number;
  body: { id?: string; error?: { code?: string; message?: string } };
  /** wall clock (ms since the epoch) just before the request, to compare with Postgres timestamps */
  startedAtMs: number;
  seconds: number;
}

/** A multipart upload whose file part streams from disk (fs.openAsBlob), as a 500 MB file must. */
export async function uploadFile(api: ApiTarget, file: string, locationId: string): Promise<UploadResult> {
  const form = new FormData();
  form.append('kind', 'aging');
  form.append('locationId', locationId);
  form.append('file', await openAsBlob(file, { type: 'text/csv' }), path.basename(file));
  const startedAtMs = Date.now();
  const t = performance.now();
  const res = await fetch(`${api.url}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token}` },
    body: form,
  });
  const text = await res.text();
  const seconds = (performance.now() - t) / 1000;
  let body: UploadResult['body'] = {};
  try {
    body = JSON.parse(text) as UploadResult['body'];
  } catch {
    body = { error: { message: text.slice(0, 200) } };
  }
  return { status: res.status, body, startedAtMs, seconds };
}

/** The fields of GET /imports/:id the benchmark reads. */
export interface ImportStatusView {
  id: string;
  status: string;
  phase: string;
  percent: number;
  rowsRead: number;
  rowsCommitted: number;
  /** claims compared with the file so far; moves while an aging import closes its snapshot */
  claimsChecked?: number;
  /** resolved so far; moves while an aging import closes its snapshot, after claimsChecked */
  claimsResolved?: number;
  rowsRejected: number;
  etaSeconds: number | null;
  error: { code: string | null; message: string } | null;
  summary: { claimsNew: number; claimsUpdated: number; claimsUnchanged: number; claimsResolved: number } | null;
}

export interface Poll {
  /** wall clock halfway through the request: the server's "now" for its ETA */
  atMs: number;
  latencyMs: number;
  view: ImportStatusView;
}

export class ImportDidNotComplete extends Error {}

/** Polls GET /imports/:id every intervalMs (start to start) until the import is final. */
export async function pollImport(
  api: ApiTarget,
  id: string,
  intervalMs: number,
  timeoutMs: number,
  onPoll?: (p: Poll) => void,
): Promise<Poll[]> {
  const polls: Poll[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const wall = Date.now();
    const t = performance.now();
    const res = await fetch(`${api.url}/imports/${id}`, { headers: { authorization: `Bearer ${api.token}` } });
    const text = await res.text();
    const latencyMs = performance.now() - t;
    if (res.status !== 200)
      throw new ImportDidNotComplete(`GET /imports/${id} answered ${res.status}: ${text.slice(0, 300)}`);
    const view = JSON.parse(text) as ImportStatusView;
    const poll = { atMs: wall + latencyMs / 2, latencyMs, view };
    polls.push(poll);
    onPoll?.(poll);
    if (view.status === 'completed') return polls;
    if (['failed', 'cancelled', 'ready', 'reverted'].includes(view.status)) {
      throw new ImportDidNotComplete(`import ${id} ended ${view.status}: ${view.error?.message ?? 'no error message'}`);
    }
    if (Date.now() > deadline)
      throw new ImportDidNotComplete(
        `import ${id} did not complete within ${timeoutMs / 1000}s (last: ${view.status}/${view.phase} ${view.percent}%)`,
      );
    const wait = intervalMs - (performance.now() - t);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
