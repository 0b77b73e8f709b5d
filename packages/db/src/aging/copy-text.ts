// COPY … FROM STDIN in text format: tab-separated, \N for null, backslash escapes.
export type CopyValue = string | number | null;

export function copyField(v: CopyValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export function copyLine(values: readonly CopyValue[]): string {
  return values.map(copyField).join('\t') + '\n';
}
