// One upload's lines can be found together: the API answers with the request's id, and the worker's
// log lines about the import it queued carry the same id.
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

const logs: string[] = [];
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ logTo: { write: (line) => void logs.push(line) } });
});
afterAll(() => stack.close());

it('carries the request id from the upload into the worker\'s log lines', async () => {
  const form = new FormData();
  form.append('kind', 'aging');
  form.append('locationId', stack.seed.locations[0]!.id);
  form.append('file', new Blob([generateAgingCsv({ rows: 5 })]), 'traced.csv');
  const res = await fetch(`${stack.url}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.staff}`, 'x-request-id': 'trace-1234abcd' },
    body: form,
  });
  expect(res.status).toBe(202);
  expect(res.headers.get('x-request-id')).toBe('trace-1234abcd');
  const { id } = (await res.json()) as { id: string };
  expect((await waitForImport(stack.url, stack.staff, id)).status).toBe('completed');
  const traced = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.requestId === 'trace-1234abcd');
  expect(traced.some((l) => l.importId === id && l.msg === 'import started')).toBe(true);
  // A caller's id that is not a plain token is replaced by one of ours.
  const other = await client(stack.url, stack.staff).get('/me');
  expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});
