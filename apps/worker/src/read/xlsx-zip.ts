import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { UnrecoverableImportError } from '@ledgerport/core';

// More parts than any workbook has; a central directory of millions of entries is an attack, not a report.
const MAX_ENTRIES = 65_536;

export class ZipPartError extends Error {}

/**
 * The parts of an XLSX (a zip), read one at a time straight from the file: nothing is inflated until
 * asked for, and every byte inflated counts against one budget, so a zip bomb is stopped by what it
 * really inflates to, whatever its headers claim.
 */
export class XlsxZip {
  private inflated = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    private readonly maxInflated: number,
  ) {}

  static async open(path: string, maxInflated: number): Promise<XlsxZip> {
    const zip = await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: true,
      validateEntrySizes: true,
    });
    try {
      if (zip.entryCount > MAX_ENTRIES) throw new ZipPartError(`a zip of ${zip.entryCount} entries`);
      const entries = new Map<string, yauzl.Entry>();
      for await (const e of zip.eachEntry()) entries.set(partKey(e.fileName), e);
      return new XlsxZip(zip, entries, maxInflated);
    } catch (e) {
      zip.close();
      throw e;
    }
  }

  /** Sum of the sizes the central directory declares: a bomb that admits its size is refused unread. */
  declaredSize(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.uncompressedSize;
    return total;
  }

  has(name: string): boolean {
    return this.entries.has(partKey(name));
  }

  compressedSize(name: string): number {
    return this.entries.get(partKey(name))?.compressedSize ?? 0;
  }

  /** A small part whole, as text; null when the zip has no such part. */
  async text(name: string): Promise<string | null> {
    if (!this.has(name)) return null;
    let out = '';
    for await (const s of this.chunks(name)) out += s;
    return out;
  }

  /**
   * A part's text as it inflates. onCompressed hears the compressed bytes consumed, which is how
   * far through the file the reader is.
   */
  async *chunks(name: string, onCompressed?: (bytes: number) => void): AsyncGenerator<string> {
    const entry = this.entries.get(partKey(name));
    if (!entry) throw new ZipPartError(`no part ${name}`);
    if (entry.isEncrypted()) throw new ZipPartError('an encrypted part');
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
      throw new ZipPartError(`compression method ${entry.compressionMethod}`);
    const raw = await this.zip.openReadStreamPromise(entry, { decodeFileData: false });
    const counted = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        onCompressed?.(chunk.length);
        cb(null, chunk);
      },
    });
    raw.on('error', (e) => counted.destroy(e));
    let stream: Readable = raw.pipe(counted);
    if (entry.compressionMethod === 8) {
      const inflate = createInflateRaw();
      counted.on('error', (e) => inflate.destroy(e));
      stream = counted.pipe(inflate);
    }
    let decoder: StringDecoder | null = null;
    try {
      for await (const buf of stream as AsyncIterable<Buffer>) {
        this.inflated += buf.length;
        if (this.inflated > this.maxInflated) {
          throw new UnrecoverableImportError(
            'workbook_too_large',
            `This spreadsheet unpacks to more than ${mb(this.maxInflated)}, the limit. Save the report as CSV instead.`,
          );
        }
        // Excel writes UTF-8; SheetJS also reads parts saved as UTF-16 LE with a byte-order mark.
        decoder ??= new StringDecoder(buf[0] === 0xff && buf[1] === 0xfe ? 'utf16le' : 'utf8');
        const s = decoder.write(buf);
        if (s) yield s;
      }
      const tail = decoder?.end() ?? '';
      if (tail) yield tail;
    } finally {
      raw.destroy();
      counted.destroy();
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }
}

/** Part names compare without case and without a leading slash, as SheetJS compares them. */
function partKey(name: string): string {
  return name.replace(/^\/+/, '').replace(/\\/g, '/').toLowerCase();
}

export function mb(n: number): string {
  return `${Math.round(n / 1024 / 1024)} MB`;
}
