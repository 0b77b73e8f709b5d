import { Transform, type Readable } from 'node:stream';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Names the file's text encoding from its first 64 KiB: a byte-order mark decides; otherwise bytes
 * that are not valid UTF-8 mean an Excel-style Windows-1252 export (José, Müller).
 */
export function encodingOf(head: Buffer): { encoding: TextEncoding; head: string } {
  const encoding: TextEncoding =
    head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
      ? 'utf-8'
      : head[0] === 0xff && head[1] === 0xfe
        ? 'utf-16le'
        : head[0] === 0xfe && head[1] === 0xff
          ? 'utf-16be'
          : isUtf8Prefix(head)
            ? 'utf-8'
            : 'windows-1252';
  return { encoding, head: iconv.decode(head, iconvName(encoding)) };
}

/** Valid UTF-8, allowing a multi-byte sequence cut off at the end of the sample. */
function isUtf8Prefix(b: Buffer): boolean {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return false;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return true;
      if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

export interface ByteCounter {
  bytes: number;
}

/** The file's text (UTF-8 as its bytes, anything else decoded), counting raw bytes as they are read (progress is bytes of the file). */
export function openText(raw: Readable, encoding: TextEncoding, counter: ByteCounter): Readable {
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      counter.bytes += chunk.length;
      cb(null, chunk);
    },
  });
  raw.on('error', (e) => count.destroy(e));
  // UTF-8 goes to the parser as bytes: csv-parse works on bytes and decodes each cell itself, so
  // decoding the whole file first (and csv-parse encoding it back) was work done twice (a few tenths of
  // a second in 1,000,000 rows).
  // A cell's bytes are gathered whole before they are decoded, so a character split across two reads
  // is never broken, and invalid bytes become U+FFFD either way.
  if (encoding === 'utf-8') {
    count.once('close', () => raw.destroy());
    return raw.pipe(count);
  }
  // iconv-lite's stream is a real Transform; its typings only promise a ReadWriteStream.
  const decoder = iconv.decodeStream(iconvName(encoding), { stripBOM: true }) as unknown as Transform;
  count.on('error', (e) => decoder.destroy(e));
  // Destroying the text (its reader stopped early) must reach the bytes' source: pipe() does not.
  decoder.once('close', () => {
    count.destroy();
    raw.destroy();
  });
  return raw.pipe(count).pipe(decoder);
}

function iconvName(e: TextEncoding): string {
  return e === 'utf-8' ? 'utf8' : e;
}
