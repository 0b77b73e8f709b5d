import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, type ApiClient } from './api-client.js';
import type { Command } from './args.js';
import { UsageError } from './args.js';
import { pollIntervalMs, progressStyle } from './config.js';
import { CommandFailed, EXIT, writeAll, type Context } from './context.js';
import { formatBytes, formatCount } from './format.js';
import { describeImport } from './import-report.js';
import { completedShort, isSuccess, waitsForAdmin, type ImportView } from './import-view.js';
import { barReporter, lineReporter } from './progress.js';
import { watchImport } from './watch.js';

type Of<N extends Command['name']> = Extract<Command, { name: N }>;

async function openFile(file: string): Promise<{ blob: Blob; size: number; name: string }> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new UsageError(`${file} is not a file.`, 'upload');
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: string }).code;
    throw new UsageError(
      code === 'ENOENT' ? `There is no file ${file}.` : `Cannot read ${file} (${code ?? String(e)}).`,
      'upload',
    );
  }
  return { blob: await openAsBlob(file), size, name: path.basename(file) };
}

/** Prints where an import ended up and turns it into the exit status a scheduler acts on. */
async function finish(v: ImportView, ctx: Context, json: boolean, apiUrl: string): Promise<number> {
  await writeAll(ctx.stdout, json ? `${JSON.stringify(v, null, 2)}\n` : describeImport(v));
  const page = `${apiUrl}/#/imports/${v.id}`;
  if (waitsForAdmin(v)) {
    ctx.stderr.write(
      `Import ${v.id} waits for an administrator: nothing of it is applied yet. ${v.review?.message ?? ''}`.trimEnd() +
        `\nAn administrator must review it and save or discard it at ${page}\n`,
    );
    return EXIT.review;
  }
  if (v.status === 'ready') {
    ctx.stderr.write(`The preview is ready: review it and press Save at ${page}\n`);
  }
  if (completedShort(v)) {
    ctx.stderr.write(
      `Import ${v.id} completed, but not everything in the file was applied: ${v.reconciliation?.message ?? ''}`.trimEnd() +
        (v.rowsRejected > 0 ? `\nThe rejected rows: ledgerport errors ${v.id}` : '') +
        `\nSee it at ${page}\n`,
    );
    return EXIT.notAllApplied;
  }
  if (isSuccess(v)) return EXIT.ok;
  const why = v.error?.message ?? `it is ${v.status}`;
  ctx.stderr.write(`Import ${v.id} ${v.status === 'failed' ? 'failed' : `is ${v.status}`}: ${why}\n`);
  return EXIT.failed;
}

async function watchAndFinish(client: ApiClient, id: string, ctx: Context, json: boolean): Promise<number> {
  const style = progressStyle(ctx.env, ctx.stderr.isTTY === true);
  const reporter =
    style === 'bar'
      ? barReporter({ write: (s) => ctx.stderr.write(s), columns: ctx.stderr.columns || undefined })
      : lineReporter({ write: (s) => ctx.stderr.write(s) });
  try {
    const v = await watchImport(client, id, {
      intervalMs: pollIntervalMs(ctx.env),
      sleep: (ms) => ctx.sleep(ms),
      onUpdate: (u) => reporter.update(u),
    });
    reporter.finish();
    return await finish(v, ctx, json, client.baseUrl);
  } finally {
    reporter.finish();
  }
}

export async function uploadCommand(cmd: Of<'upload'>, client: ApiClient, ctx: Context): Promise<number> {
  const file = await openFile(cmd.file);
  if (file.size === 0)
    throw new CommandFailed(`${file.name} is empty. Export the report again and upload the new file.`);
  const limit = (await client.config())?.maxUploadBytes;
  if (limit && file.size > limit) {
    throw new CommandFailed(
      `${file.name} is ${formatBytes(file.size)}; the server accepts files up to ${formatBytes(limit)}. Split it or ask an administrator to raise the limit.`,
    );
  }
  let accepted;
  try {
    accepted = await client.upload({
      file: file.blob,
      fileName: file.name,
      kind: cmd.kind,
      location: cmd.location,
      format: cmd.format,
      dateOrder: cmd.dateOrder,
      mode: cmd.mode,
      onInvalid: cmd.onInvalid,
      skipInactive: cmd.includeInactive ? false : undefined,
    });
  } catch (e) {
    const earlier = e instanceof ApiError ? e.details.importId : undefined;
    if (typeof earlier === 'string')
      throw new CommandFailed(
        `${e instanceof Error ? e.message : String(e)} See it with: ledgerport status ${earlier}`,
      );
    throw e;
  }
  if (!cmd.wait) {
    await writeAll(
      ctx.stdout,
      cmd.json
        ? `${JSON.stringify(accepted)}\n`
        : `Uploaded ${file.name} as import ${accepted.id} (${accepted.status}).\n`,
    );
    if (!cmd.json) ctx.stderr.write(`Watch it with: ledgerport status ${accepted.id} --wait\n`);
    return EXIT.ok;
  }
  ctx.stderr.write(
    `Uploaded ${file.name} as import ${accepted.id}. Watching it (Ctrl-C stops watching; the import goes on).\n`,
  );
  return watchAndFinish(client, accepted.id, ctx, cmd.json);
}

export async function statusCommand(cmd: Of<'status'>, client: ApiClient, ctx: Context): Promise<number> {
  if (cmd.wait) return watchAndFinish(client, cmd.id, ctx, cmd.json);
  const v = await client.getImport(cmd.id);
  await writeAll(ctx.stdout, cmd.json ? `${JSON.stringify(v, null, 2)}\n` : describeImport(v));
  return EXIT.ok;
}

export async function retryCommand(cmd: Of<'retry'>, client: ApiClient, ctx: Context): Promise<number> {
  const r = await client.retry(cmd.id);
  ctx.stderr.write(`Import ${r.id} is queued again; it resumes where it stopped.\n`);
  if (cmd.wait) return watchAndFinish(client, r.id, ctx, cmd.json);
  if (cmd.json) await writeAll(ctx.stdout, `${JSON.stringify(r)}\n`);
  return EXIT.ok;
}

function table(rows: string[][], maxWidths: number[]): string {
  const widths = maxWidths.map((max, i) => Math.min(max, Math.max(...rows.map((r) => (r[i] ?? '').length))));
  const cut = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s);
  return (
    rows
      .map((r) => r.map((c, i) => (i === r.length - 1 ? c : cut(c, widths[i] ?? 0).padEnd(widths[i] ?? 0))).join('  '))
      .join('\n') + '\n'
  );
}

export async function errorsCommand(cmd: Of<'errors'>, client: ApiClient, ctx: Context): Promise<number> {
  if (cmd.csv) {
    const body = await client.errorsCsv(cmd.id);
    for await (const chunk of body) await writeAll(ctx.stdout, chunk);
    return EXIT.ok;
  }
  const { items, total } = await client.listErrors(cmd.id, cmd.page, cmd.pageSize);
  if (total === 0) {
    await writeAll(ctx.stdout, `Import ${cmd.id} rejected no rows.\n`);
    return EXIT.ok;
  }
  const first = (cmd.page - 1) * cmd.pageSize + 1;
  const rows = [
    ['Row', 'Column', 'Value', 'Message'],
    ...items.map((e) => [String(e.rowNumber), e.column, e.value, e.message]),
  ];
  let text = items.length ? table(rows, [8, 24, 30, 200]) : '';
  text += `\n${items.length ? `Rows ${formatCount(first)}–${formatCount(first + items.length - 1)}` : 'Nothing on this page'} of ${formatCount(total)} errors.`;
  if (first + items.length - 1 < total) text += ` Next: ledgerport errors ${cmd.id} --page ${cmd.page + 1}`;
  text += `\nAll of them as CSV: ledgerport errors ${cmd.id} --csv > errors.csv\n`;
  await writeAll(ctx.stdout, text);
  return EXIT.ok;
}

export async function locationsCommand(_cmd: Of<'locations'>, client: ApiClient, ctx: Context): Promise<number> {
  const items = await client.listLocations();
  const rows = [['Name', 'Id', 'Last report'], ...items.map((l) => [l.name, l.id, l.lastReportDate ?? 'none yet'])];
  await writeAll(ctx.stdout, table(rows, [40, 36, 12]));
  return EXIT.ok;
}
