// The one table the benchmark prints (Markdown, so it pastes into docs/performance.md), and the machine it ran on.
import { readFile } from 'node:fs/promises';
import os from 'node:os';

export interface Line {
  measure: string;
  rows?: number;
  seconds?: number;
  value?: string;
  target?: string;
  /** undefined: an information line; otherwise whether the target was met */
  pass?: boolean;
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const fmtMs = (ms: number) => `${ms.toFixed(1)} ms`;
export const fmtPct = (f: number) => `${(f * 100).toFixed(1)} %`;

export function renderTable(lines: readonly Line[]): string {
  const head = ['measure', 'rows', 'seconds', 'rows/s', 'value', 'target', 'result'];
  const cells = lines.map((l) => [
    l.measure,
    l.rows === undefined ? '' : fmtInt(l.rows),
    l.seconds === undefined ? '' : l.seconds.toFixed(2),
    l.rows === undefined || l.seconds === undefined || l.seconds <= 0 ? '' : fmtInt(l.rows / l.seconds),
    l.value ?? '',
    l.target ?? '',
    l.pass === undefined ? '' : l.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const right = new Set([1, 2, 3]);
  const row = (c: string[]) =>
    `| ${c.map((v, i) => (right.has(i) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [row(head), rule, ...cells.map(row)].join('\n');
}

export async function describeMachine(extra: string[] = []): Promise<string> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown cpu';
  const cores = os.availableParallelism();
  const mem = `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`;
  return [
    `machine: ${model}, ${cores} cores, ${mem} memory, ${os.type()} ${os.release()}, Node ${process.version}`,
    ...extra,
  ].join('\n');
}
