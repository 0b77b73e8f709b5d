import { ApiError, ApiUnreachableError, isTransient } from './errors.js';
import { createApiClient, fileNameFrom } from './client.js';

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
      dateOrder: 'DMY',
      mode: 'preview',
    });
    expect(r.id).toBe('i1');
    expect(calls[0]?.url).toBe('http://api/imports');
    expect((calls[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    const form = calls[0]?.init.body as FormData;
    expect([...form.keys()]).toEqual(['kind', 'locationId', 'format', 'dateOrder', 'mode', 'file']);
    expect(form.get('locationId')).toBe('Main Street');
  });

  it('asks for lists with their filters in the query', async () => {
    const { f, calls } = fakeFetch(() => json(200, { items: [], total: 0, page: 1, pageSize: 20, counts: { errors: 0, warnings: 0 } }));
    const client = createApiClient({ token: 't', fetch: f });
    await client.listImports({ status: ['failed'], dismissed: false, pageSize: 100 });
    await client.errorGroups('a b', { severity: 'warning' });
    await client.notifications({ unread: true, pageSize: 1 });
    expect(calls.map((c) => c.url)).toEqual([
      '/imports?status=failed&dismissed=0&pageSize=100',
      '/imports/a%20b/errors?severity=warning&group=message',
      '/notifications?unread=1&pageSize=1',
    ]);
  });

  it("turns the API's error body into an ApiError with its words and details, and tells of a 401", async () => {
    const { f } = fakeFetch((url) =>
      url.endsWith('/me')
        ? json(401, { error: { code: 'unauthorized', message: 'That API token is not valid.' } })
        : json(409, { error: { code: 'duplicate_file', message: 'This exact file was already imported.', importId: 'old' } }),
    );
    const signedOut: string[] = [];
    const client = createApiClient({ token: 't', fetch: f, onUnauthorized: (e: ApiError) => signedOut.push(e.message) });
    await expect(client.getImport('x')).rejects.toMatchObject({
      status: 409,
      code: 'duplicate_file',
      message: 'This exact file was already imported.',
      details: { importId: 'old' },
    });
    await expect(client.me()).rejects.toBeInstanceOf(ApiError);
    expect(signedOut).toEqual(['That API token is not valid.']);
  });

  it('describes a non-JSON error by its status, and counts a 502 as worth trying again', async () => {
    const { f } = fakeFetch(() => new Response('Bad Gateway', { status: 502, statusText: 'Bad Gateway' }));
    const err = await createApiClient({ baseUrl: 'http://api', token: 't', fetch: f })
      .getImport('x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('The server answered 502 Bad Gateway.');
    expect(isTransient(err)).toBe(true);
    expect(isTransient(new ApiError(404, 'not_found', 'no'))).toBe(false);
  });

  it('says the API could not be reached, naming the address and why, when fetch itself fails', async () => {
    const { f } = fakeFetch(() =>
      Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })),
    );
    const err = await createApiClient({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: f })
      .listLocations()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiUnreachableError);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiUnreachableError).reason).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect((err as Error).message).toMatch(/http:\/\/127\.0\.0\.1:9 \(connect ECONNREFUSED/);
    expect(isTransient(err)).toBe(true);
  });

  it('reads no config from a server that has none', async () => {
    const { f } = fakeFetch(() => json(404, { error: { code: 'not_found', message: 'There is nothing at this address.' } }));
    expect(await createApiClient({ baseUrl: 'http://api', token: 't', fetch: f }).config()).toBeNull();
  });

  it('refuses an answer that is not an import', async () => {
    const { f } = fakeFetch(() => json(200, { hello: 1 }));
    await expect(createApiClient({ token: 't', fetch: f }).getImport('x')).rejects.toThrow(/not an import/);
  });

  it("reads a download's file name from the server's header", () => {
    const res = (cd: string) => new Response('', { headers: { 'content-disposition': cd } });
    expect(fileNameFrom(res('attachment; filename="a (errors).csv"'), 'x')).toBe('a (errors).csv');
    expect(fileNameFrom(res("attachment; filename*=UTF-8''caf%C3%A9.csv"), 'x')).toBe('café.csv');
    expect(fileNameFrom(res(''), 'x.csv')).toBe('x.csv');
  });
});
