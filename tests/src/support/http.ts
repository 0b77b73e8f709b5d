import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared samples (../shared/samples beside the repo) are the source of truth; a copy kept in
 * tests/fixtures/samples lets a clone without shared/ beside it run the same tests.
 */
const SHARED_SAMPLES = path.resolve(__dirname, '../../../../shared/samples');
export const SAMPLES = existsSync(path.join(SHARED_SAMPLES, 'expected.json')) ? SHARED_SAMPLES : path.resolve(__dirname, '../../fixtures/samples');

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export async function request<T = any>(base: string, token: string | null, method: string, url: string, body?: unknown): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: RequestInit['body'];
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(base + url, { method, headers, body: payload });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and other text bodies stay text
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

export function client(base: string, token: string | null) {
  return {
    get: <T = any>(url: string) => request<T>(base, token, 'GET', url),
    post: <T = any>(url: string, body?: unknown) => request<T>(base, token, 'POST', url, body),
    upload: (content: string | Buffer, fields: Record<string, string>, fileName = 'aging.csv') => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([typeof content === 'string' ? Buffer.from(content) : content]), fileName);
      return request(base, token, 'POST', '/imports', form);
    },
  };
}

export async function sample(name: string): Promise<Buffer> {
  return readFile(path.join(SAMPLES, name));
}

const FINAL = ['completed', 'failed', 'cancelled', 'ready', 'reverted'];

/** Polls an import until it reaches one of the given statuses (a final one by default). */
export async function waitForImport(base: string, token: string, id: string, statuses: string[] = FINAL, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await request(base, token, 'GET', `/imports/${id}`);
    if (r.status === 200 && statuses.includes(r.body.status)) return r.body;
    if (Date.now() > deadline) throw new Error(`import ${id} did not reach ${statuses.join('/')} in ${timeoutMs} ms; last: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
