/**
 * A small streaming XML tokenizer for the parts of an XLSX. Spreadsheet XML is machine-written and
 * regular, and a sheet of 200,000 rows is millions of tags: a scanner built on indexOf reads it about
 * three times as fast as a general SAX parser, which is the difference between the XML and the row
 * validation setting the pace. It checks no well-formedness; a damaged part gives wrong or missing
 * cells, as it does in SheetJS, which reads these parts with regular expressions.
 */
export interface XmlEvents {
  /** `name` without its namespace prefix; `tag` is the text between `<` and `>` (for attr()). */
  open(name: string, tag: string, selfClosing: boolean): void;
  /** also sent right after open() for a self-closing element */
  close(name: string): void;
  /** text between tags with entities decoded, only while the scanner's `capture` is on */
  text(s: string): void;
}

export class XmlTooLarge extends Error {}
export class XmlUnsupported extends Error {}

export class XmlScanner {
  /** set by the handler while it wants the text of the element it is in */
  capture = false;
  private rest = '';
  private stopped = false;

  /** maxToken bounds what an unfinished tag or text run may hold while it waits for its end */
  constructor(
    private readonly on: XmlEvents,
    private readonly maxToken = 8 * 1024 * 1024,
  ) {}

  /** Ignore the rest of the document (the sheet's data has ended). */
  stop(): void {
    this.stopped = true;
    this.rest = '';
  }

  get done(): boolean {
    return this.stopped;
  }

  feed(chunk: string): void {
    if (this.stopped) return;
    const b = this.rest ? this.rest + chunk : chunk;
    const n = b.length;
    let pos = 0;
    while (!this.stopped) {
      const lt = b.indexOf('<', pos);
      // Text waits for the tag that ends it, so an entity is never cut in two.
      if (lt === -1 || lt + 1 >= n) break;
      if (lt > pos && this.capture) this.on.text(decodeEntities(b.slice(pos, lt)));
      pos = lt;
      const c1 = b.charCodeAt(lt + 1);
      if (c1 === 33 /* ! */) {
        if (b.startsWith('<!--', lt)) {
          const e = b.indexOf('-->', lt + 4);
          if (e === -1) break;
          pos = e + 3;
          continue;
        }
        if (b.startsWith('<![CDATA[', lt)) {
          const e = b.indexOf(']]>', lt + 9);
          if (e === -1) break;
          if (this.capture) this.on.text(b.slice(lt + 9, e));
          pos = e + 3;
          continue;
        }
        if (n - lt < 9) break;
        // A DTD could define entities; no spreadsheet writer emits one.
        throw new XmlUnsupported('XML with a document type declaration');
      }
      if (c1 === 63 /* ? */) {
        const e = b.indexOf('?>', lt + 2);
        if (e === -1) break;
        pos = e + 2;
        continue;
      }
      const closing = c1 === 47; /* / */
      const start = closing ? lt + 2 : lt + 1;
      let e = start;
      while (e < n) {
        const c = b.charCodeAt(e);
        if (c === 62 || c === 32 || c === 47 || c === 9 || c === 10 || c === 13) break;
        e++;
      }
      const gt = b.charCodeAt(e) === 62 ? e : tagEnd(b, e);
      if (gt === -1) break;
      // Most tags of a sheet are one letter (c, v, t, f): those names are not allocated per tag.
      const name = e - start === 1 ? (LETTERS[b.charCodeAt(start)] ?? b[start] ?? '') : localName(b.slice(start, e));
      if (closing) this.on.close(name);
      else {
        const selfClosing = b.charCodeAt(gt - 1) === 47;
        this.on.open(name, gt === e ? name : b.slice(lt + 1, selfClosing ? gt - 1 : gt), selfClosing);
        if (selfClosing) this.on.close(name);
      }
      pos = gt + 1;
    }
    this.rest = this.stopped || pos >= n ? '' : b.slice(pos);
    if (this.rest.length > this.maxToken)
      throw new XmlTooLarge(`an XML token of more than ${this.maxToken} characters`);
  }
}

const LETTERS: string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

/** Index of the `>` closing the tag that starts before `from`; a `>` inside a quoted value does not count. */
function tagEnd(b: string, from: number): number {
  let quote = 0;
  for (let i = from; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 62) return i;
    else if (c === 34 || c === 39) quote = c;
  }
  return -1;
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i === -1 ? qname : qname.slice(i + 1);
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** The value of attribute `name` (matched without its prefix, so `r:id` answers "id"), decoded. */
export function attr(tag: string, name: string): string | undefined {
  // Writers put one space before each attribute and double quotes around its value; then one
  // indexOf finds it. Anything else (tabs, newlines, single quotes) takes the careful walk.
  if (!IRREGULAR.test(tag)) {
    const at = tag.indexOf(` ${name}="`);
    if (at === -1) return tag.indexOf(`:${name}="`) === -1 ? undefined : walkAttr(tag, name);
    const from = at + name.length + 3;
    const to = tag.indexOf('"', from);
    return to === -1 ? undefined : decodeEntities(tag.slice(from, to));
  }
  return walkAttr(tag, name);
}

const IRREGULAR = /[\t\n\r']|\s=|=\s/;

/**
 * Several attributes in one walk of the tag (the hot path: every cell's r, t and s): out[i] becomes
 * the value of names[i], decoded, or undefined.
 */
export function attrs(tag: string, names: readonly string[], out: Array<string | undefined>): void {
  out.fill(undefined);
  // As writers write them (` name="value"`, one space apart): a few indexOf calls per attribute.
  // Anything else is walked character by character.
  const n = tag.length;
  let i = tag.indexOf(' ');
  while (i !== -1 && i < n) {
    const start = i + 1;
    const eq = tag.indexOf('="', start);
    const space = tag.indexOf(' ', start);
    if (eq === -1 || (space !== -1 && space < eq)) return walkAttrs(tag, names, out);
    const close = tag.indexOf('"', eq + 2);
    if (close === -1) return walkAttrs(tag, names, out);
    const len = eq - start;
    for (let k = 0; k < names.length; k++) {
      const name = names[k] ?? '';
      if (len === name.length && tag.startsWith(name, start)) {
        const v = tag.slice(eq + 2, close);
        out[k] = v.indexOf('&') === -1 ? v : decodeEntities(v);
      }
    }
    if (close + 1 === n) return;
    if (tag.charCodeAt(close + 1) !== 32) return walkAttrs(tag, names, out);
    i = close + 1;
  }
}

function walkAttrs(tag: string, names: readonly string[], out: Array<string | undefined>): void {
  out.fill(undefined);
  const n = tag.length;
  let i = 0;
  while (i < n && !isSpace(tag.charCodeAt(i))) i++;
  while (i < n) {
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    const start = i;
    let colon = -1;
    while (i < n) {
      const c = tag.charCodeAt(i);
      if (c === 61 || isSpace(c)) break;
      if (c === 58) colon = i;
      i++;
    }
    const end = i;
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    if (tag.charCodeAt(i) !== 61) return;
    i++;
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    const q = tag.charCodeAt(i);
    if (q !== 34 && q !== 39) return;
    const close = tag.indexOf(q === 34 ? '"' : "'", i + 1);
    if (close === -1) return;
    const local = colon === -1 ? start : colon + 1;
    for (let k = 0; k < names.length; k++) {
      const name = names[k] ?? '';
      if (end - local === name.length && tag.startsWith(name, local)) out[k] = decodeEntities(tag.slice(i + 1, close));
    }
    i = close + 1;
  }
}

function walkAttr(tag: string, name: string): string | undefined {
  const n = tag.length;
  let i = 0;
  while (i < n && !isSpace(tag.charCodeAt(i))) i++;
  while (i < n) {
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    const start = i;
    let colon = -1;
    while (i < n) {
      const c = tag.charCodeAt(i);
      if (c === 61 || isSpace(c)) break;
      if (c === 58) colon = i;
      i++;
    }
    const end = i;
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    if (tag.charCodeAt(i) !== 61) return undefined;
    i++;
    while (i < n && isSpace(tag.charCodeAt(i))) i++;
    const q = tag.charCodeAt(i);
    if (q !== 34 && q !== 39) return undefined;
    const close = tag.indexOf(q === 34 ? '"' : "'", i + 1);
    if (close === -1) return undefined;
    const local = colon === -1 ? start : colon + 1;
    if (
      end - local === name.length &&
      tag.startsWith(name, local) &&
      !(colon !== -1 && tag.startsWith('xmlns', start))
    ) {
      return decodeEntities(tag.slice(i + 1, close));
    }
    i = close + 1;
  }
  return undefined;
}

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(ENTITY, (whole, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named) return NAMED[named] ?? whole;
    const code = dec !== undefined ? parseInt(dec, 10) : parseInt(hex ?? '', 16);
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const ESCAPED_CHAR = /_x([0-9a-fA-F]{4})_/g;

/**
 * Cell text as Excel means it: `_x000D_` and the like stand for characters XML cannot hold (OOXML
 * ST_Xstring), and a CR LF is one line break. SheetJS reads them the same way.
 */
export function cellString(s: string): string {
  let out =
    s.indexOf('_x') === -1 ? s : s.replace(ESCAPED_CHAR, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  if (out.indexOf('\r\n') !== -1) out = out.replace(/\r\n/g, '\n');
  return out;
}
