import { parse } from 'csv-parse';
import { Transform, type Readable } from 'node:stream';
import { UnrecoverableImportError, coerceError } from '@ledgerport/core';

/**
 * A claim row is a few hundred characters; a "line" of a megabyte is a file that lost its line breaks
 * or a quote that swallowed the rest of the file. Either way no row of it can be trusted.
 */
export const MAX_LINE_CHARS = 1_048_576;
/** A quoted cell may hold a line break (an address); one that runs on for this many lines never closed. */
export const MAX_LINES_PER_ROW = 100;

function brokenFile(message: string): UnrecoverableImportError {
  return new UnrecoverableImportError('broken_file', `${message} Nothing from this file was imported; fix it or export it again, then upload it.`);
}

export interface FileRow {
  /** Physical line of the file where the record starts (what a user finds in a text editor). */
  line: number;
  cells: string[];
}

/** Picks the delimiter that splits the first lines most consistently: comma, semicolon or tab. */
export function sniffDelimiter(sample: string): ',' | ';' | '\t' {
  const lines = sample
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim())
    .slice(0, 20);
  let best: ',' | ';' | '\t' = ',';
  let bestScore = 0;
  for (const d of [',', ';', '\t'] as const) {
    const counts = lines.map((l) => l.split(d).length - 1);
    const max = Math.max(0, ...counts);
    if (max > bestScore) {
      best = d;
      bestScore = max;
    }
  }
  return best;
}

/**
 * A quoted cell may hold a line break (an address: "12 Elm St\nSpringfield, IL"). One that starts with
 * a stray quote of its own (how csv-parse, relaxed about quotes, keeps a quote that never closed), or
 * holds lines that look like rows (three delimiters or more), ran the next rows into it.
 */
function swallowedRows(cell: string, firstBreak: number, delimiter: string): boolean {
  if (cell.startsWith('"')) return true;
  for (const text of cell.slice(firstBreak + 1).split('\n')) {
    let delimiters = 0;
    for (let i = text.indexOf(delimiter); i !== -1; i = text.indexOf(delimiter, i + 1)) delimiters++;
    if (delimiters >= 3) return true;
  }
  return false;
}

/**
 * CRLF, CR and LF all become LF before parsing: csv-parse counts a CRLF inside a quoted field as two
 * lines, which would put every later error on the wrong line. A CR at the end of a chunk waits for the
 * next chunk, which may start with its LF. Works on text and on UTF-8 bytes alike (a CR byte is never
 * part of a longer character); a chunk without a CR, nearly every one, passes through untouched.
 */
export function normalizeLineEndings(): Transform {
  let pendingCr = false;
  return new Transform({
    decodeStrings: false,
    transform(chunk: string | Buffer, _enc, cb) {
      if (typeof chunk === 'string') {
        let s = (pendingCr ? '\r' : '') + chunk;
        pendingCr = s.endsWith('\r');
        if (pendingCr) s = s.slice(0, -1);
        cb(null, s.replace(/\r\n?/g, '\n'));
        return;
      }
      if (!pendingCr && chunk.indexOf(CR) === -1) {
        cb(null, chunk);
        return;
      }
      const out = Buffer.allocUnsafe(chunk.length + 1);
      let n = 0;
      let i = 0;
      if (pendingCr) {
        out[n++] = LF;
        if (chunk[0] === LF) i = 1;
      }
      pendingCr = false;
      for (; i < chunk.length; i++) {
        const b = chunk[i] as number;
        if (b !== CR) out[n++] = b;
        else if (i + 1 === chunk.length) pendingCr = true;
        else {
          out[n++] = LF;
          if (chunk[i + 1] === LF) i++;
        }
      }
      cb(null, out.subarray(0, n));
    },
    flush(cb) {
      cb(null, pendingCr ? '\n' : '');
    },
  });
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Streams CSV records with their line numbers; ragged rows and blank lines are tolerated here.
 * Line numbers are counted here rather than asked of csv-parse (`info`), which costs a sixth of the
 * parse: after LF normalization a record spans one line plus the line breaks inside its quoted cells,
 * so empty lines are kept as records to be counted and then dropped.
 *
 * `consumed` counts the file's bytes as records come out, not as the file is read: the streams in
 * between hold a megabyte or more, which made progress run several chunks ahead of the rows applied
 * (and the ETA half what it should be). It is approximate (quotes are not counted) and only for progress;
 * once the last row is out, the whole file has been read, and `consumed` becomes `read`, the bytes
 * read from the file, so progress ends at 100 %.
 */
export async function* csvRows(
  text: Readable,
  delimiter: string,
  consumed?: { bytes: number },
  bytesPerChar = 1,
  read?: { bytes: number },
): AsyncGenerator<FileRow> {
  const normalized = normalizeLineEndings();
  const parser = text.pipe(normalized).pipe(
    parse({
      delimiter,
      record_delimiter: '\n',
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      max_record_size: MAX_LINE_CHARS,
    }),
  );
  text.on('error', (e) => parser.destroy(e));
  let line = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const start = line;
      line++;
      let chars = record.length; // the delimiters and the line break
      let runOn = false;
      for (const cell of record) {
        chars += cell.length;
        const firstBreak = cell.indexOf('\n');
        if (firstBreak === -1) continue;
        for (let i = firstBreak; i !== -1; i = cell.indexOf('\n', i + 1)) line++;
        if (!runOn) runOn = swallowedRows(cell, firstBreak, delimiter);
      }
      if (runOn)
        throw brokenFile(
          `Line ${start} has a quote (") that is not closed where its cell ends, so the lines after it ran into that cell.`,
        );
      if (chars > MAX_LINE_CHARS)
        throw brokenFile(`Line ${start} is longer than 1 MB (${chars.toLocaleString('en-US')} characters), so it cannot be a row of a report.`);
      if (line - start > MAX_LINES_PER_ROW)
        throw brokenFile(
          `Line ${start} opens a quoted cell (") that runs on for ${(line - start).toLocaleString('en-US')} lines: a quote there is probably never closed.`,
        );
      if (consumed) consumed.bytes += chars * bytesPerChar;
      if (record.length === 1 && record[0] === '') continue;
      yield { line: start, cells: record };
    }
    if (consumed && read) consumed.bytes = read.bytes;
  } catch (e) {
    const err = coerceError(e);
    const code = (err as { code?: string }).code;
    // `line` is where the record the parser could not finish began.
    if (code === 'CSV_QUOTE_NOT_CLOSED')
      throw brokenFile(`Line ${line} opens a quoted cell (") that is never closed before the end of the file.`);
    if (code === 'CSV_MAX_RECORD_SIZE')
      throw brokenFile(
        `From line ${line} on, the file cannot be read: a line there is longer than 1 MB, or a quote (") there is never closed.`,
      );
    throw err;
  } finally {
    // Rows no longer wanted (a broken file, a cancelled import): let go of the file, or of the
    // object store's connection, now rather than when the stream is collected.
    text.destroy();
  }
}
