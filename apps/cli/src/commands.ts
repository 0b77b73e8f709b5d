import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, type ApiClient } from './api-client.js';
import type { Command } from './args.js';
import { UsageError } from './args.js';
import { outageLimitMs, pollIntervalMs, progressStyle } from './config.js';
import { CommandFailed, EXIT, writeAll, type Context } from './context.js';
import { formatBytes, formatCount, formatDate, formatDateTime, formatDuration, kindLabel, logStamp, plural } from './format.js';
import { describeImport } from './import-report.js';
import { completedShort, isSuccess, waitsForAdmin, type ImportView } from './import-view.js';
import { barReporter, lineReporter } from './progress.js';
import { WatchLost, watchImport } from './watch.js';

type Of<N extends Command['name']> = Extract<Command, { name: N }>;

/** The file was imported before: a scheduler must tell "nothing new" from "it failed". */
export class AlreadyImported extends Error {
  constructor(
    message: string,
    readonly importId: string,
  ) {
    super(message);
    this.name = 'AlreadyImported';
  }
}

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

const pageOf = (apiUrl: string, id: string) => `${apiUrl}/#/imports/${encodeURIComponent(id)}`;
const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;

/** Prints where an import ended up and turns it into the exit status a scheduler acts on. */
async function finish(v: ImportView, ctx: Context, asJson: boolean, apiUrl: string): Promise<number> {
  await writeAll(ctx.stdout, asJson ? json(v) : describeImport(v));
  const page = pageOf(apiUrl, v.id);
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

async function watchAndFinish(client: ApiClient, id: string, ctx: Context, asJson: boolean): Promise<number> {
  const style = progressStyle(ctx.env, ctx.stderr.isTTY === true);
  const now = ctx.now ?? (() => new Date());
  const reporter =
    style === 'bar'
      ? barReporter({ write: (s) => ctx.stderr.write(s), columns: ctx.stderr.columns || undefined })
      : lineReporter({ write: (s) => ctx.stderr.write(s) }, { now: () => now().getTime() });
  const statusUrl = `${client.baseUrl}/imports/${encodeURIComponent(id)}`;
  if (ctx.watching) Object.assign(ctx.watching, { id, statusUrl });
  // In a log, when the API went away and came back matters as much as the progress: stamped alike.
  const say = (text: string) => ctx.stderr.write(style === 'bar' ? text : `[${logStamp(now())}] ${text}`);
  let outageShown = false;
  try {
    const v = await watchImport(client, id, {
      intervalMs: pollIntervalMs(ctx.env),
      maxOutageMs: outageLimitMs(ctx.env),
      sleep: (ms) => ctx.sleep(ms),
      now: () => now().getTime(),
      onUpdate: (u) => {
        if (outageShown) say('The API answers again; watching goes on.\n');
        outageShown = false;
        reporter.update(u);
      },
      onOutage: (e, ms) => {
        if (outageShown) return;
        outageShown = true;
        reporter.finish();
        say(
          `The API does not answer (${e instanceof Error ? e.message : String(e)}). Import ${id} goes on on the server; ` +
            `asking again, less and less often (next in ${formatDuration(ms / 1000)}), for up to ${formatDuration(outageLimitMs(ctx.env) / 1000)}.\n`,
        );
      },
    });
    reporter.finish();
    return await finish(v, ctx, asJson, client.baseUrl);
  } catch (e) {
    if (!(e instanceof WatchLost)) throw e;
    reporter.finish();
    const last = e.last ? ` It was ${e.last.status} when last seen.` : '';
    ctx.stderr.write(
      `${e.message}${last} The import goes on on the server.\n` +
        `Import ${id}: ${statusUrl}\nSee it later with: ledgerport status ${id} --wait  (or at ${pageOf(client.baseUrl, id)})\n`,
    );
    if (asJson) await writeAll(ctx.stdout, json({ id, statusUrl, status: e.last?.status ?? null, watchLost: true }));
    return EXIT.watchLost;
  } finally {
    reporter.finish();
    if (ctx.watching) Object.assign(ctx.watching, { id: null, statusUrl: null });
  }
}

/** A wrong --location is a wrong command line: say which names the practice has. */
async function unknownLocation(client: ApiClient, e: ApiError): Promise<UsageError> {
  const names = await client.listLocations().then(
    (ls) => ls.filter((l) => !l.archivedAt).map((l) => `"${l.name}"`),
    () => [],
  );
  return new UsageError(
    `${e.message}${names.length ? ` Its locations: ${names.join(', ')}.` : ''} (ledgerport locations lists them with their ids.)`,
    'upload',
  );
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
    if (e instanceof ApiError && e.code === 'unknown_location') throw await unknownLocation(client, e);
    const earlier = e instanceof ApiError ? e.details.importId : undefined;
    if (e instanceof ApiError && e.code === 'duplicate_file' && typeof earlier === 'string')
      throw new AlreadyImported(`${e.message} See it with: ledgerport status ${earlier}`, earlier);
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
  await writeAll(ctx.stdout, cmd.json ? json(v) : describeImport(v));
  return EXIT.ok;
}

export async function retryCommand(cmd: Of<'retry'>, client: ApiClient, ctx: Context): Promise<number> {
  const r = await client.retry(cmd.id);
  ctx.stderr.write(`Import ${r.id} is queued again; it resumes where it stopped.\n`);
  if (cmd.wait) return watchAndFinish(client, r.id, ctx, cmd.json);
  if (cmd.json) await writeAll(ctx.stdout, `${JSON.stringify(r)}\n`);
  return EXIT.ok;
}

export async function cancelCommand(cmd: Of<'cancel'>, client: ApiClient, ctx: Context): Promise<number> {
  const v = await client.cancel(cmd.id);
  if (cmd.json) await writeAll(ctx.stdout, json(v));
  else
    await writeAll(
      ctx.stdout,
      v.status === 'cancelled'
        ? `Import ${v.id} (${v.fileName}) is cancelled: nothing of it is applied.\n`
        : `Import ${v.id} (${v.fileName}) is being cancelled: what it saved so far is undone at its next step.\n`,
    );
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
    const res = await client.errorsCsv(cmd.id, cmd.severity ? { severity: cmd.severity } : {});
    if (!res.body) throw new CommandFailed('The API sent no CSV.');
    // Streamed: an import can have hundreds of thousands of rejected rows. (Node's web streams iterate.)
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) await writeAll(ctx.stdout, chunk);
    return EXIT.ok;
  }
  const q = { page: cmd.page, pageSize: cmd.pageSize, ...(cmd.severity ? { severity: cmd.severity } : {}) };
  const what = cmd.severity === 'warning' ? 'warning' : cmd.severity === 'error' ? 'error' : 'error or warning';
  if (cmd.group) {
    const groups = await client.errorGroups(cmd.id, q);
    if (cmd.json) {
      await writeAll(ctx.stdout, json(groups));
      return EXIT.ok;
    }
    if (groups.total === 0) {
      await writeAll(ctx.stdout, `Import ${cmd.id} has no row ${what}s.\n`);
      return EXIT.ok;
    }
    const rows = [
      ['Rows', 'Kind', 'Column', 'First row', 'Message'],
      ...groups.items.map((g) => [formatCount(g.count), g.severity, g.column, formatCount(g.firstRow), g.message]),
    ];
    let text = table(rows, [9, 7, 24, 9, 200]);
    text += `\n${countsLine(groups.counts)}\n`;
    await writeAll(ctx.stdout, text);
    return EXIT.ok;
  }
  const page = await client.listErrors(cmd.id, q);
  if (cmd.json) {
    await writeAll(ctx.stdout, json(page));
    return EXIT.ok;
  }
  const { items, total } = page;
  if (total === 0) {
    await writeAll(ctx.stdout, `Import ${cmd.id} has no row ${what}s.\n`);
    return EXIT.ok;
  }
  const first = (cmd.page - 1) * cmd.pageSize + 1;
  const rows = [
    ['Row', 'Kind', 'Column', 'Value', 'Message'],
    ...items.map((e) => [formatCount(e.rowNumber), e.severity, e.column, e.value, e.message]),
  ];
  let text = items.length ? table(rows, [8, 7, 24, 30, 200]) : '';
  text += `\n${items.length ? `${formatCount(first)}–${formatCount(first + items.length - 1)}` : 'Nothing on this page'} of ${formatCount(total)}. ${countsLine(page.counts)}`;
  if (first + items.length - 1 < total) text += `\nNext: ledgerport errors ${cmd.id} --page ${cmd.page + 1}`;
  text += `\nOne line per message: ledgerport errors ${cmd.id} --group; all of them as CSV: ledgerport errors ${cmd.id} --csv > errors.csv\n`;
  await writeAll(ctx.stdout, text);
  return EXIT.ok;
}

function countsLine(c: { errors: number; warnings: number }): string {
  return `${plural(c.errors, 'row error')} (rows not applied), ${plural(c.warnings, 'warning')} (rows applied).`;
}

export async function listCommand(cmd: Of<'list'>, client: ApiClient, ctx: Context): Promise<number> {
  let locationId: string | undefined;
  if (cmd.location) {
    const wanted = cmd.location.trim().toLowerCase();
    const ls = await client.listLocations();
    const l = ls.find((x) => x.id === cmd.location || x.name.toLowerCase() === wanted || x.aliases.some((a) => a.toLowerCase() === wanted));
    if (!l)
      throw new UsageError(
        `Your practice has no location "${cmd.location}". Its locations: ${ls.map((x) => `"${x.name}"`).join(', ')}.`,
        'list',
      );
    locationId = l.id;
  }
  const page = await client.listImports({
    ...(cmd.status ? { status: cmd.status } : {}),
    ...(cmd.kind ? { kind: cmd.kind } : {}),
    ...(locationId ? { locationId } : {}),
    pageSize: cmd.limit,
  });
  if (cmd.json) {
    await writeAll(ctx.stdout, json(page));
    return EXIT.ok;
  }
  if (page.total === 0) {
    await writeAll(ctx.stdout, 'No imports match.\n');
    return EXIT.ok;
  }
  const rows = [
    ['Id', 'File', 'Kind', 'Location', 'Status', 'Uploaded', 'By'],
    ...page.items.map((v) => [
      v.id,
      v.fileName,
      kindLabel(v.kind),
      v.location?.name ?? '—',
      v.status,
      formatDateTime(v.createdAt),
      v.createdBy.name ?? 'unknown',
    ]),
  ];
  let text = table(rows, [36, 32, 16, 20, 9, 19, 40]);
  if (page.total > page.items.length) text += `\n${formatCount(page.items.length)} of ${formatCount(page.total)} shown; --limit shows more.\n`;
  await writeAll(ctx.stdout, text);
  return EXIT.ok;
}

export async function locationsCommand(cmd: Of<'locations'>, client: ApiClient, ctx: Context): Promise<number> {
  const items = await client.listLocations();
  if (cmd.json) {
    await writeAll(ctx.stdout, json({ items }));
    return EXIT.ok;
  }
  const rows = [
    ['Name', 'Id', 'Last report'],
    ...items.map((l) => [l.name, l.id, l.lastReportDate ? formatDate(l.lastReportDate) : 'none yet']),
  ];
  await writeAll(ctx.stdout, table(rows, [40, 36, 12]));
  return EXIT.ok;
}
