import { ApiError, ApiUnreachableError, createApiClient } from './api-client.js';

type Call = { url: string; init: RequestInit };

function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const f = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push({ url, init });
    return respond(url, init);
  }) as typeof fetch;
  return { f, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createApiClient', () => {
  it('sends the bearer token and the upload fields, file last', async () => {
    const { f, calls } = fakeFetch(() => json(202, { id: 'i1', status: 'queued', statusUrl: '/imports/i1' }));
    const client = createApiClient({ baseUrl: 'http://api/', token: 'tok', fetch: f });
    const r = await client.upload({
      file: new Blob(['a,b\n']),
      fileName: 'a.csv',
      kind: 'aging',
      location: 'Main Street',
      format: 'detect',
      mode: 'preview',
    });
    expect(r.id).toBe('i1');
    expect(calls[0]?.url).toBe('http://api/imports');
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    const form = calls[0]?.init.body as FormData;
    expect([...form.keys()]).toEqual(['kind', 'locationId', 'format', 'mode', 'file']);
    expect(form.get('locationId')).toBe('Main Street');
  });

  it('sends the date order an aging file reads in', async () => {
    const { f, calls } = fakeFetch(() => json(202, { id: 'i1', status: 'queued', statusUrl: '/imports/i1' }));
    await createApiClient({ baseUrl: 'http://api', token: 't', fetch: f }).upload({
      file: new Blob(['a,b\n']),
      fileName: 'a.csv',
      kind: 'aging',
      location: 'R',
      dateOrder: 'DMY',
    });
    const form = calls[0]?.init.body as FormData;
    expect([...form.keys()]).toEqual(['kind', 'locationId', 'dateOrder', 'file']);
    expect(form.get('dateOrder')).toBe('DMY');
  });

  it("turns the API's error body into an ApiError with its words and details", async () => {
    const { f } = fakeFetch(() =>
      json(409, {
        error: { code: 'duplicate_file', message: 'This exact file was already imported.', importId: 'old' },
      }),
    );
    const client = createApiClient({ baseUrl: 'http://api', token: 't', fetch: f });
    await expect(client.getImport('x')).rejects.toMatchObject({
      status: 409,
      code: 'duplicate_file',
      message: 'This exact file was already imported.',
      details: { importId: 'old' },
    });
  });

  it('describes a non-JSON error by its status', async () => {
    const { f } = fakeFetch(() => new Response('Bad Gateway', { status: 502, statusText: 'Bad Gateway' }));
    const err = await createApiClient({ baseUrl: 'http://api', token: 't', fetch: f })
      .getImport('x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/502 Bad Gateway/);
  });

  it('says the API could not be reached, naming the URL, when fetch itself fails', async () => {
    const { f } = fakeFetch(() =>
      Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })),
    );
    const err = await createApiClient({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: f })
      .listLocations()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiUnreachableError);
    expect((err as Error).message).toMatch(/http:\/\/127\.0\.0\.1:9 \(connect ECONNREFUSED/);
  });

  it('reads no config from a server that has none', async () => {
    const { f } = fakeFetch(() =>
      json(404, { error: { code: 'not_found', message: 'There is nothing at this address.' } }),
    );
    expect(await createApiClient({ baseUrl: 'http://api', token: 't', fetch: f }).config()).toBeNull();
  });
});
