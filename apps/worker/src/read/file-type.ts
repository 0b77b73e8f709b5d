export type Container = 'csv' | 'xls' | 'xlsx' | 'html' | 'xml' | 'pdf' | 'binary';

/**
 * What the file really is, from its leading bytes (4 KiB are plenty): exports are often renamed (an
 * ".xls" that is an HTML table, a ".csv" that is a workbook), so the name is never trusted.
 */
export function containerOf(b: Buffer): Container {
  if (b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'xls';
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  const text = b.toString('utf8').replace(/^\ufeff/, '').trimStart().slice(0, 512).toLowerCase();
  if (text.startsWith('<?xml') || text.startsWith('<workbook')) return text.includes('<html') ? 'html' : 'xml';
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<table')) return 'html';
  // Text has no NUL bytes except as UTF-16 (which has a BOM); anything else binary is not a report.
  const utf16 = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
  if (!utf16 && b.includes(0)) return 'binary';
  return 'csv';
}

/**
 * Sums the uncompressed sizes in a zip's central directory without inflating anything, so a zip bomb
 * is refused before it can take the worker's memory.
 */
export function zipUncompressedSize(b: Buffer): number | null {
  const min = Math.max(0, b.length - 65557);
  for (let i = b.length - 22; i >= min; i--) {
    if (b.readUInt32LE(i) !== 0x06054b50) continue;
    const entries = b.readUInt16LE(i + 10);
    let p = b.readUInt32LE(i + 16);
    let total = 0;
    for (let n = 0; n < entries; n++) {
      if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return null;
      total += b.readUInt32LE(p + 24);
      p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    }
    return total;
  }
  return null;
}
