import { parse } from 'csv-parse';
import { Transform, type Readable } from 'node:stream';

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
 * CRLF, CR and LF all become LF before parsing: csv-parse counts a CRLF inside a quoted field as two
 * lines, which would put every later error on the wrong line. A CR at the end of a chunk waits for the
 * next chunk, which may start with its LF.
 */
export function normalizeLineEndings(): Transform {
  let pendingCr = false;
  return new Transform({
    decodeStrings: false,
    transform(chunk: string | Buffer, _enc, cb) {
      let s = (pendingCr ? '\r' : '') + chunk.toString();
      pendingCr = s.endsWith('\r');
      if (pendingCr) s = s.slice(0, -1);
      cb(null, s.replace(/\r\n?/g, '\n'));
    },
    flush(cb) {
      cb(null, pendingCr ? '\n' : '');
    },
  });
}

/**
 * Streams CSV records with their line numbers; ragged rows and blank lines are tolerated here.
 * Line numbers are counted here rather than asked of csv-parse (`info`), which costs a sixth of the
 * parse: after LF normalization a record spans one line plus the line breaks inside its quoted cells,
 * so empty lines are kept as records to be counted and then dropped.
 *
 * `consumed` counts the file's bytes as records come out, not as the file is read: the streams in
 * between hold a megabyte or more, which made progress run several chunks ahead of the rows applied
 * (and the ETA half what it should be). It is approximate (quotes are not counted) and only for progress.
 */
export async function* csvRows(
  text: Readable,
  delimiter: string,
  consumed?: { bytes: number },
  bytesPerChar = 1,
): AsyncGenerator<FileRow> {
  const normalized = normalizeLineEndings();
  const parser = text.pipe(normalized).pipe(
    parse({
      delimiter,
      record_delimiter: '\n',
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
    }),
  );
  text.on('error', (e) => parser.destroy(e));
  let line = 1;
  for await (const record of parser as AsyncIterable<string[]>) {
    const start = line;
    line++;
    let chars = record.length; // the delimiters and the line break
    for (const cell of record) {
      chars += cell.length;
      for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) line++;
    }
    if (consumed) consumed.bytes += chars * bytesPerChar;
    if (record.length === 1 && record[0] === '') continue;
    yield { line: start, cells: record };
  }
}
