// Uploads kept in S3-compatible object storage (STORAGE=s3): the API streams them into a bucket, the
// worker reads them back (a CSV streamed, an XLSX through a temporary copy), a missing object fails
// its import as a missing file does, and retention deletes from the bucket. Against a real S3 API.
import { readFile, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadApiConfig, startApi } from '@ledgerport/api';
import { createMaintenanceQueue, createRedisConnection, requestRetentionRun } from '@ledgerport/queue';
import { createUploadStore, storageConfigOf, type UploadStore } from '@ledgerport/storage';
import { loadWorkerConfig } from '@ledgerport/worker';
import { client, request, waitForImport } from './support/http.js';
import { AGING_HEADER, agingLines, generateAgingCsv } from './support/generate.js';
import { startS3Server, type S3Server } from './support/s3-server.js';
import { redisUrl, startTestStack, type TestStack } from './support/test-stack.js';
import { waitUntil } from './support/wait.js';
import { writeXlsx } from './support/xlsx-writer.js';

let s3: S3Server;
let stack: TestStack;
let store: UploadStore;
let staff: ReturnType<typeof client>;
beforeAll(async () => {
  s3 = await startS3Server();
  stack = await startTestStack({ worker: false, env: { ...s3.env, JOB_ATTEMPTS: '1' } });
  store = createUploadStore(storageConfigOf(loadWorkerConfig(stack.env)));
  staff = client(stack.url, stack.staff);
});
afterAll(async () => {
  store?.close();
  await stack?.close();
  await s3?.close();
});

const q = async (sql: string, params: unknown[] = []) => (await stack.db.handle.pool.query(sql, params)).rows;
const keyOf = async (id: string): Promise<string> =>
  (await q('select storage_key from imports where id = $1', [id]))[0].storage_key;
const location = (i: number) => stack.seed.locations[i]!.id;

async function uploadedFiles(): Promise<string[]> {
  const entries = await readdir(stack.env.UPLOAD_DIR!, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

it('is ready only with the bucket answering, and says so', async () => {
  const ready = await request(stack.url, null, 'GET', '/health/ready');
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({ status: 'ready', postgres: 'ok', redis: 'ok', storage: 'ok' });
});

it('imports a CSV and an XLSX kept in the bucket, and a file whose object is gone fails saying so', async () => {
  const csv = await staff.upload(
    generateAgingCsv({ rows: 300 }),
    { kind: 'aging', locationId: location(0) },
    'aging.csv',
  );
  expect(csv.status).toBe(202);

  const xlsxFile = path.join(tmpdir(), `lp-s3-${process.pid}.xlsx`);
  await writeXlsx(xlsxFile, function* () {
    yield AGING_HEADER.split(',');
    // the generated CSV lines, split on the commas outside quotes
    for (const line of agingLines({ rows: 200, startAt: 5_000 }))
      yield line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.replace(/^"|"$/g, ''));
  });
  const xlsx = await staff.upload(await readFile(xlsxFile), { kind: 'aging', locationId: location(1) }, 'aging.xlsx');
  await rm(xlsxFile, { force: true });
  expect(xlsx.status).toBe(202);

  const gone = await staff.upload(
    generateAgingCsv({ rows: 10, startAt: 9_000 }),
    { kind: 'aging', locationId: location(0), mode: 'preview' },
    'gone.csv',
  );
  expect(gone.status).toBe(202);

  // Stored in the bucket under the import's key, nothing in the local folder.
  for (const id of [csv.body.id, xlsx.body.id, gone.body.id]) expect(await store.stat(await keyOf(id))).not.toBeNull();
  expect(await uploadedFiles()).toEqual([]);

  await store.remove(await keyOf(gone.body.id));
  stack.startWorker();
  const doneCsv = await waitForImport(stack.url, stack.staff, csv.body.id);
  expect(doneCsv).toMatchObject({ status: 'completed', rowsRead: 300, rowsRejected: 0 });
  const doneXlsx = await waitForImport(stack.url, stack.staff, xlsx.body.id);
  expect(doneXlsx).toMatchObject({ status: 'completed', rowsRead: 200, rowsRejected: 0 });
  expect(Number((await q('select count(*) n from claims where location_id = $1', [location(1)]))[0].n)).toBe(200);

  const failed = await waitForImport(stack.url, stack.staff, gone.body.id);
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatchObject({ code: 'stored_file_missing' });
  expect(failed.error.message).toMatch(/gone\.csv is no longer stored on the server.*upload the file again/);
});

it('deletes from the bucket: a discarded preview at once, and any file when retention runs out', async () => {
  const preview = await staff.upload(
    generateAgingCsv({ rows: 5, startAt: 20_000 }),
    { kind: 'aging', locationId: location(1), mode: 'preview' },
    'discard.csv',
  );
  expect((await waitForImport(stack.url, stack.staff, preview.body.id)).status).toBe('ready');
  const discardedKey = await keyOf(preview.body.id);
  expect(await store.stat(discardedKey)).not.toBeNull();
  expect((await staff.post(`/imports/${preview.body.id}/discard`)).status).toBe(200);
  await waitUntil('the discarded object to be deleted', async () => (await store.stat(discardedKey)) === null);

  // The import that failed above for its missing object, and the CSV that completed: both past retention.
  const old = await q(
    `select id, storage_key from imports where status in ('completed', 'failed') and file_deleted_at is null`,
  );
  expect(old.length).toBeGreaterThan(0);
  await q(
    `update imports set finished_at = now() - interval '400 days' where file_deleted_at is null and finished_at is not null`,
  );
  const redis = createRedisConnection(redisUrl());
  const queue = createMaintenanceQueue(redis, stack.env.QUEUE_PREFIX!);
  try {
    await requestRetentionRun(queue);
  } finally {
    await queue.close();
    await redis.quit();
  }
  for (const { id, storage_key: key } of old) {
    await waitUntil(
      'the import to say its file is deleted',
      async () => (await staff.get(`/imports/${id}`)).body.fileDeletedAt !== null,
    );
    expect(await store.stat(key)).toBeNull();
  }
});

/** A second API on a bucket at `endpoint`, as a process pointed at that store would be; closed after fn. */
async function withS3Api<T>(endpoint: string, fn: (url: string) => Promise<T>): Promise<T> {
  const api = await startApi(loadApiConfig({ ...stack.env, S3_ENDPOINT: endpoint }), pino({ level: 'silent' }));
  try {
    return await fn(api.url);
  } finally {
    await api.close();
  }
}

it('refuses an upload with 507 when the bucket is full and 503 when it cannot be reached, nothing created', async () => {
  // An S3 API out of room, as MinIO answers past its free-space threshold (and R2 or AWS past a quota).
  const full = http.createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      res.writeHead(507, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>XMinioStorageFull</Code><Message>Storage backend has reached its minimum free drive threshold.</Message></Error>',
      );
    });
  });
  await new Promise<void>((resolve) => full.listen(0, '127.0.0.1', resolve));
  const fullPort = (full.address() as AddressInfo).port;
  // And one where nothing listens any more.
  const gone = http.createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  const gonePort = (gone.address() as AddressInfo).port;
  await new Promise<void>((resolve) => gone.close(() => resolve()));
  try {
    const imports = async () => Number((await q('select count(*) n from imports'))[0].n);
    const before = await imports();
    for (const [endpoint, status, code] of [
      [`http://127.0.0.1:${fullPort}`, 507, 'storage_full'],
      [`http://127.0.0.1:${gonePort}`, 503, 'storage_unavailable'],
    ] as const) {
      const up = await withS3Api(endpoint, (url) =>
        client(url, stack.staff).upload(generateAgingCsv({ rows: 50 }), { kind: 'aging', locationId: location(0) }),
      );
      expect({ status: up.status, code: up.body.error?.code }).toEqual({ status, code });
      expect(up.body.error.message).toMatch(/was not uploaded and nothing was created/);
    }
    expect(await imports()).toBe(before);
    expect(await uploadedFiles()).toEqual([]);
  } finally {
    await new Promise<void>((resolve) => full.close(() => resolve()));
  }
});
