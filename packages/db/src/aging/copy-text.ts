// COPY … FROM STDIN in text format: tab-separated, \N for null, backslash escapes.
export type CopyValue = string | number | null;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

export function copyField(v: CopyValue | undefined): string {
  // undefined too: a field left out must be NULL, never the text "undefined".
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  // Nearly no cell needs escaping; testing first spares a replace per cell at a million rows.
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
