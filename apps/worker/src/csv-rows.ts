import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';

export interface FileRow {
  /** Physical line of the file where the record ends (what a spreadsheet user sees as the row). */
  line: number;
  cells: string[];
}

/** Picks the delimiter that splits the first lines most consistently: comma, semicolon or tab. */
export function sniffDelimiter(sample: string): ',' | ';' | '\t' {
  const lines = sample.split(/\r\n|\n|\r/).filter((l) => l.trim()).slice(0, 20);
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

/** Streams CSV records with their line numbers; ragged rows and blank lines are tolerated here. */
export async function* csvRows(text: Readable, delimiter: string): AsyncGenerator<FileRow> {
  const parser = text.pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  text.on('error', (e) => parser.destroy(e));
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { line: item.info.lines, cells: item.record };
  }
}
