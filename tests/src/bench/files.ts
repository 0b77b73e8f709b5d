// The benchmark's input files, written to disk as they are generated: a million-row file never sits in memory.
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { AGING_HEADER, agingLines, type GenOptions } from '../support/generate.js';

/** Claim numbers of the warm-up and latency files start here, far from the big files' 1..N. */
export const WARMUP_START = 50_000_001;
export const LATENCY_START = 80_000_001;
export const LATENCY_FILES = 20;
export const LATENCY_ROWS = 5;

// Writes are batched to about this many bytes: one write per line would make generation the slow part.
const BATCH_BYTES = 256 * 1024;

async function writeLines(file: string, lines: Iterable<string>, maxBytes = Infinity): Promise<number> {
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  let bytes = 0;
  let batch = '';
  const flush = async () => {
    if (!batch) return;
    const buf = Buffer.from(batch);
    batch = '';
    bytes += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  try {
    for (const line of lines) {
      if (bytes + batch.length + line.length + 1 > maxBytes) break;
      batch += line + '\n';
      if (batch.length >= BATCH_BYTES) await flush();
    }
    await flush();
  } finally {
    out.end();
    await closed;
  }
  return bytes;
}

export function writeAgingFile(file: string, o: GenOptions): Promise<number> {
  return writeLines(
    file,
    (function* () {
      yield AGING_HEADER;
      yield* agingLines(o);
    })(),
  );
}

export interface BenchFiles {
  dir: string;
  first: string;
  second: string;
  /** the next night's file: after second.csv, a nightly re-import whose location has a close behind it */
  third: string;
  warmup: string;
  latency: string[];
  /** bytes of first.csv */
  firstBytes: number;
}

/** What second.csv and third.csv change of first.csv's rows (see expectedNextNightSummary). */
export const SECOND_FILE = { changeEvery: 10, dropEvery: 20 } as const;
export const THIRD_FILE = { changeEvery: 11, dropEvery: 19 } as const;

/**
 * first.csv (rows 1..N), second.csv (the same rows with every 10th balance changed and every 20th claim
 * gone), third.csv (every 11th changed, every 19th gone: the night after), a warm-up file of N/10 rows
 * and the small latency files.
 */
export async function generateBenchFiles(dir: string, rows: number): Promise<BenchFiles> {
  await mkdir(dir, { recursive: true });
  const f = (name: string) => path.join(dir, name);
  const firstBytes = await writeAgingFile(f('first.csv'), { rows, seed: 1 });
  await writeAgingFile(f('second.csv'), { rows, seed: 1, ...SECOND_FILE });
  await writeAgingFile(f('third.csv'), { rows, seed: 1, ...THIRD_FILE });
  await writeAgingFile(f('warmup.csv'), { rows: Math.max(1, Math.floor(rows / 10)), seed: 1, startAt: WARMUP_START });
  const latency: string[] = [];
  for (let k = 0; k < LATENCY_FILES; k++) {
    const file = f(`latency-${k + 1}.csv`);
    await writeAgingFile(file, { rows: LATENCY_ROWS, seed: 1, startAt: LATENCY_START + k * 1000 });
    latency.push(file);
  }
  return { dir, first: f('first.csv'), second: f('second.csv'), third: f('third.csv'), warmup: f('warmup.csv'), latency, firstBytes };
}

/**
 * An aging file of exactly `bytes` bytes or a line less, made of one generated block repeated: the
 * API's memory is what is measured, so what the lines say does not matter.
 */
export async function writeUploadFile(file: string, bytes: number): Promise<number> {
  const block = [...agingLines({ rows: 10_000, seed: 1 })];
  const lines = function* () {
    yield AGING_HEADER;
    for (;;) yield* block;
  };
  await writeLines(file, lines(), bytes);
  return (await stat(file)).size;
}
