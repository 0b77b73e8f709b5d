// Operators scrape /metrics from the API and the worker, on ports of their own: queue depth, imports by
// kind and outcome, rows read, upload-to-active time, chunk merge time, stalls, HTTP latency by route.
// Labels carry no practice or patient data.
import { client, waitForImport } from './support/http.js';
import { generateAgingCsv } from './support/generate.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { METRICS_PORT: '0', CHUNK_ROWS: '100' } });
});
afterAll(() => stack.close());

/** The value of a sample whose labels include all of `labels`, in whatever order they are printed. */
function sample(text: string, name: string, labels: Record<string, string>): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

const scrape = async (url: string | null) => {
  expect(url).not.toBeNull();
  const r = await fetch(url ?? '');
  expect(r.status).toBe(200);
  return r.text();
};

it('serves API and worker metrics that follow an import, with no practice or patient data in them', async () => {
  const staff = client(stack.url, stack.staff);
  const up = await staff.upload(generateAgingCsv({ rows: 300 }), { kind: 'aging', locationId: stack.seed.locations[0]!.id }, 'metrics.csv');
  const imp = await waitForImport(stack.url, stack.staff, up.body.id);
  expect(imp.status).toBe('completed');
  await staff.get(`/imports/${imp.id}`);

  // BullMQ marks the job completed just after the import row says so: scrape until it has.
  let api = '';
  await waitUntil('the API to count the job completed', async () => {
    api = await scrape(stack.api.metricsUrl);
    return sample(api, 'ledgerport_queue_jobs', { queue: 'imports', state: 'completed' }) === 1;
  });
  expect(sample(api, 'ledgerport_http_request_seconds_count', { method: 'GET', route: '/imports/:id', status: '200', app: 'api' })).toBeGreaterThan(0);
  expect(sample(api, 'ledgerport_queue_jobs', { queue: 'imports', state: 'completed', app: 'api' })).toBe(1);
  expect(api).toMatch(/ledgerport_process_cpu_seconds_total/);

  const worker = await scrape(await stack.worker!.metricsUrl());
  // The finished count is written when the worker reads the outcome after the job's event.
  const finished = { kind: 'aging', outcome: 'completed', app: 'worker' };
  await waitUntil(
    'the worker to count the import finished',
    async () => sample(await scrape(await stack.worker!.metricsUrl()), 'ledgerport_imports_finished_total', finished) !== null,
  );
  const after = await scrape(await stack.worker!.metricsUrl());
  expect(sample(after, 'ledgerport_imports_finished_total', finished)).toBe(1);
  expect(sample(worker, 'ledgerport_import_rows_total', { app: 'worker' })).toBe(300);
  expect(sample(worker, 'ledgerport_upload_to_active_seconds_count', { app: 'worker' })).toBe(1);
  expect(sample(worker, 'ledgerport_chunk_merge_seconds_count', { app: 'worker' })).toBe(3);
  expect(sample(worker, 'ledgerport_job_stalls_total', { app: 'worker' })).toBe(0);

  for (const text of [api, after]) {
    expect(text).not.toContain(stack.seed.practice.id);
    expect(text).not.toContain(imp.id);
    expect(text).not.toMatch(/Patient\d|Main Street/);
  }
});

it('keeps the metrics off the public API port', async () => {
  expect((await fetch(`${stack.url}/metrics`)).status).toBe(401);
});
