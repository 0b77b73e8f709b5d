import { csvRows, sniffDelimiter, type FileRow } from './csv-rows.js';
import { openText, sniffEncoding, type ByteCounter, type TextEncoding } from './file-source.js';

export type { FileRow };

export interface RowSource {
  fileType: 'csv' | 'xls' | 'xlsx';
  encoding: TextEncoding | null;
  rows: AsyncIterable<FileRow>;
  /** raw bytes of the file consumed so far, for progress */
  counter: ByteCounter;
}

/** The file's rows, whatever its container. */
export async function openRows(filePath: string): Promise<RowSource> {
  const { encoding, head } = await sniffEncoding(filePath);
  const counter: ByteCounter = { bytes: 0 };
  return { fileType: 'csv', encoding, counter, rows: csvRows(openText(filePath, encoding, counter), sniffDelimiter(head)) };
}
