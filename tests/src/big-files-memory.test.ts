// A 200,000-row aging file, as XLSX and as CSV, in each PM system's layout, stays within the worker's
// memory budget (peak RSS under 256 MiB, as for the benchmark): each is read through the worker's
// own row path in a process of its own, and one whole import of a 200,000-row XLSX runs through a
// real worker process. Memory is judged by the kernel's high-water mark (VmHWM), not by time.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { coerceError } from '@ledgerport/core';
import { openRows } from '@ledgerport/worker';
import { workbookRows } from '../../apps/worker/src/read/workbook-rows.js';
import { uploadFile } from './bench/api-client.js';
import { nodeFlags, procMemory } from './bench/processes.js';
import {
  LAYOUT_PROFILES,
  layoutBalanceCents,
  writeLayoutCsv,
  writeLayoutXlsx,
  type LayoutProfile,
} from './support/aging-layouts.js';
import { waitForImport } from './support/http.js';
import type { RowPathResult } from './support/row-path.js';
import { startTestStack } from './support/test-stack.js';
import { spawnWorker } from './support/worker-process.js';

const ROWS = 200_000;
const BUDGET = 256 * 1024 * 1024;
const ROOT = path.resolve(__dirname, '../..');
const ROW_PATH = path.join(ROOT, 'tests/dist/support/row-path.js');
const LIMITS = {
  maxBytes: 64 << 20,
  maxCells: 6_000_000,
  maxUncompressedBytes: 512 << 20,
  maxSharedStringChars: 32_000_000,
  maxReaderHeapMb: 640,
};
const KINDS = ['xlsx', 'csv'] as const;
/**
 * One 200,000-row file per reader (the CSV parser, the streaming XLSX reader) proves the memory
 * budget in the suite; every layout in both kinds is the same readers over other columns, and runs with
 * `npm run test:big` (LP_BIG_FILES=all), about two minutes more.
 */
const MATRIX: ReadonlyArray<readonly [LayoutProfile, (typeof KINDS)[number]]> =
  process.env.LP_BIG_FILES === 'all'
    ? LAYOUT_PROFILES.flatMap((p) => KINDS.map((k) => [p, k] as const))
    : [
        ['officemate', 'csv'],
        ['eyefinity', 'xlsx'],
      ];

const run = promisify(execFile);
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

let dir: string;
const read = new Map<string, { result?: RowPathResult; error?: string; size: number }>();
let imported: Promise<{ imp?: any; peak?: number; error?: unknown }>;

async function readInChild(file: string): Promise<RowPathResult> {
  const { stdout } = await run(process.execPath, [...nodeFlags(ROOT, 'worker'), ROW_PATH, file], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as RowPathResult;
}

/** At most `n` of the tasks given at once. */
function limiter(n: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const go = () => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            waiting.shift()?.();
          });
      };
      if (active < n) go();
      else waiting.push(go);
    });
}

/**
 * waitForImport for a long import on a busy machine: a poll whose connection is reset is tried
 * again (the poll is not what is tested here), and the resets are reported.
 */
async function waitPatiently(url: string, token: string, id: string): Promise<any> {
  const deadline = Date.now() + 500_000;
  let resets = 0;
  for (;;) {
    try {
      const imp = await waitForImport(url, token, id, undefined, Math.max(1, deadline - Date.now()));
      if (resets) process.stderr.write(`(${resets} status polls were reset and tried again)\n`);
      return imp;
    } catch (e) {
      const err = coerceError(e);
      // By name: fetch's TypeError comes from Node's realm, not jest's, so instanceof says no.
      if ((e as { name?: unknown } | null)?.name !== 'TypeError' || ++resets > 20 || Date.now() > deadline) throw err;
      process.stderr.write(
        `status poll failed (${(e as { cause?: { message?: string } }).cause?.message ?? err.message}); trying again\n`,
      );
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The whole pipeline on one file: the API in this process, the worker a real process of its own. */
async function importThroughWorker(file: string): Promise<{ imp: any; peak: number }> {
  const stack = await startTestStack({ worker: false });
  const worker = spawnWorker(stack.env);
  try {
    const location = stack.seed.locations[0]?.id ?? '';
    const up = await uploadFile({ url: stack.url, token: stack.staff }, file, location);
    if (up.status !== 202) throw new Error(`upload answered ${up.status}: ${JSON.stringify(up.body)}`);
    const imp = await waitPatiently(stack.url, stack.staff, up.body.id ?? '');
    return { imp, peak: await procMemory(worker.pid ?? 0, 'VmHWM') };
  } finally {
    worker.kill('SIGTERM');
    await worker.exited;
    await stack.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lp-big-'));
  // The two cores both work: each file is read by a child process (two at a time) while this process
  // writes the next, and the import starts once writing is done (this process serves its API, which
  // must not wait behind a file being written). Each peak is a process's own, so running side by
  // side does not change what is measured.
  const slot = limiter(2);
  const reads: Array<Promise<void>> = [];
  for (const [profile, kind] of MATRIX) {
    const file = path.join(dir, `${profile}.${kind}`);
    await (kind === 'xlsx' ? writeLayoutXlsx(file, profile, ROWS) : writeLayoutCsv(file, profile, ROWS));
    const size = (await stat(file)).size;
    reads.push(
      slot(() => readInChild(file)).then(
        (result) => void read.set(`${profile}.${kind}`, { result, size }),
        (e: unknown) => void read.set(`${profile}.${kind}`, { error: String(e), size }),
      ),
    );
  }
  // The eyefinity XLSX is imported whole below: it must exist even when the matrix leaves it out.
  if (!MATRIX.some(([p, k]) => p === 'eyefinity' && k === 'xlsx'))
    await writeLayoutXlsx(path.join(dir, 'eyefinity.xlsx'), 'eyefinity', ROWS);
  imported = importThroughWorker(path.join(dir, 'eyefinity.xlsx')).catch((error: unknown) => ({ error }));
  await Promise.all(reads);
}, 900_000);

afterAll(async () => {
  await imported;
  const lines = [...read].map(([name, r]) =>
    r.result
      ? `${name.padEnd(20)} peak ${mib(r.result.peakRssBytes).padStart(10)}  ${r.result.seconds.toFixed(1)} s  ${mib(r.size)}`
      : `${name} failed`,
  );
  process.stderr.write(`\n200,000-row files through the row path:\n${lines.join('\n')}\n`);
  await rm(dir, { recursive: true, force: true });
});

describe('the worker’s row path on 200,000-row files', () => {
  it.each(MATRIX)(
    'reads a %s %s within 256 MiB',
    (profile, kind) => {
      const r = read.get(`${profile}.${kind}`);
      expect(r?.error).toBeUndefined();
      expect(r?.result).toMatchObject({
        profile,
        fileType: kind,
        rows: ROWS,
        claims: ROWS,
        errors: 0,
        balanceCents: layoutBalanceCents(ROWS),
        bytesRead: r?.size,
      });
      expect(r?.result?.peakRssBytes).toBeLessThan(BUDGET);
    },
  );
});

describe('generated workbooks', () => {
  it.each(LAYOUT_PROFILES.map((p) => [p]))(
    '%s: the streaming reader gives the cells SheetJS gives, in both date systems',
    async (profile: LayoutProfile) => {
      for (const date1904 of [false, true]) {
        const file = path.join(dir, `${profile}-small-${date1904}.xlsx`);
        await writeLayoutXlsx(file, profile, 2_000, { date1904 });
        const size = (await stat(file)).size;
        const streamed = [];
        for await (const r of (await openRows(file, size, LIMITS)).rows) streamed.push(r);
        const whole = [];
        for await (const r of await workbookRows(file, size, LIMITS, { bytes: 0 })) whole.push(r);
        expect(streamed.length).toBeGreaterThan(2_000);
        expect(streamed).toEqual(whole);
      }
    },
  );
});

describe('a 200,000-row XLSX import through a real worker process', () => {
  it('completes with every claim and a worker peak RSS under 256 MiB', async () => {
    const { imp, peak, error } = await imported;
    if (error) throw coerceError(error);
    process.stderr.write(`200,000-row XLSX import: worker peak RSS ${mib(peak ?? 0)}\n`);
    expect(imp).toMatchObject({ status: 'completed', format: 'eyefinity', rowsRead: ROWS, rowsRejected: 0 });
    expect(imp.summary).toMatchObject({ claimsNew: ROWS, balanceCentsApplied: layoutBalanceCents(ROWS) });
    expect(peak).toBeLessThan(BUDGET);
  }, 600_000);
});
