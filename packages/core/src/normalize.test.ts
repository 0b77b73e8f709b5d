import { cleanText, headerKeyIs, needsCleaning, normalizeHeader, normalizePayerName } from './normalize.js';

describe('normalizeHeader', () => {
  it.each(['Date of Service', 'date_of_service', 'DATE OF SERVICE:', '\ufeffDate of Service', ' Date  of\tService '])(
    'reads %j as dateofservice',
    (header) => {
      expect(normalizeHeader(header)).toBe('dateofservice');
    },
  );

  it('reads # as "number" so "Patient #" is not "Patient"', () => {
    expect(normalizeHeader('Claim #')).toBe('claimnumber');
    expect(normalizeHeader('Claim Number')).toBe('claimnumber');
    expect(normalizeHeader('Patient #')).toBe('patientnumber');
    expect(normalizeHeader('Patient')).toBe('patient');
  });

  it('folds accents and keeps digits', () => {
    expect(normalizeHeader('Échéance 0-30')).toBe('echeance030');
    expect(normalizeHeader('121+')).toBe('121');
  });
});

describe('normalizePayerName', () => {
  const bcbs = normalizePayerName('Blue Cross Blue Shield');

  it.each([
    'Blue Cross  Blue Shield',
    'BLUE CROSS BLUE-SHIELD',
    'Blue Cross & Blue Shield',
    'Blue Cross and Blue Shield',
    ' blue cross blue shield. ',
  ])('treats %j as Blue Cross Blue Shield', (name) => {
    expect(normalizePayerName(name)).toBe(bcbs);
  });

  it('gives the key used to de-duplicate payers', () => {
    expect(bcbs).toBe('bluecrossblueshield');
    expect(normalizePayerName('Medicare Part B')).toBe('medicarepartb');
    expect(normalizePayerName('MEDICARE PART B')).toBe('medicarepartb');
  });

  it('treats UnitedHealthcare and United Healthcare as one payer', () => {
    expect(normalizePayerName('United Healthcare')).toBe(normalizePayerName('UnitedHealthcare'));
  });

  it('keeps different payers apart', () => {
    expect(normalizePayerName('Medicare Part A')).not.toBe(normalizePayerName('Medicare Part B'));
    expect(normalizePayerName('BCBS')).not.toBe(bcbs);
    expect(normalizePayerName('Aetna')).not.toBe(normalizePayerName('Aetna Better Health'));
    // "and" is dropped only as a word, not inside one.
    expect(normalizePayerName('Anderson Benefits')).toBe('andersonbenefits');
  });

  it('counts the payers of aging-generic.csv as 8', () => {
    const payers = [
      'Blue Cross Blue Shield',
      'Medicare Part B',
      'Aetna',
      'VSP Vision Care',
      'Medicare Part B',
      'UnitedHealthcare',
      'Blue Cross  Blue Shield',
      'EyeMed',
      'MEDICARE PART B',
      'Cigna',
      'Aetna',
      'Humana',
    ];
    expect(new Set(payers.map(normalizePayerName)).size).toBe(8);
  });

  it('has an empty key for a name with no letters or digits', () => {
    expect(normalizePayerName(' - & - ')).toBe('');
  });
});

describe('cleanText', () => {
  it('trims and collapses whitespace runs', () => {
    expect(cleanText('  Rivera,\t\tAna \r\n')).toBe('Rivera, Ana');
  });

  it('strips zero-width characters and turns non-breaking spaces into spaces', () => {
    expect(cleanText('\ufeffBlue\u00a0Cross\u200b Blue\u202fShield\u00a0')).toBe('Blue Cross Blue Shield');
  });

  it('keeps leading zeros and inner punctuation', () => {
    expect(cleanText(' 041887 ')).toBe('041887');
    expect(cleanText("O'Brien, Siobhan")).toBe("O'Brien, Siobhan");
  });
});

/** `count` strings of up to `maxLength` pieces each, the same ones every run (a seeded generator). */
function* mixes(pieces: readonly string[], seed: number, count = 20000, maxLength = 6): Generator<string> {
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let n = 0; n < count; n++) {
    let s = '';
    const len = next() % (maxLength + 1);
    for (let i = 0; i < len; i++) s += pieces[next() % pieces.length];
    yield s;
  }
}

describe('cleanText fast path', () => {
  // The full clean-up, which cleanText skips for cells that need none.
  const reference = (s: string) =>
    s
      .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
      .replace(/[\u00A0\u2007\u202F]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const pieces = [
    'a',
    'Z',
    '1',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r',
    '\u00A0',
    '\u2003',
    '\u200B',
    '\uFEFF',
    '\u2060',
    'é',
    ',',
    '-',
    '\u3000',
    '\u2028',
    '\x0b',
    '\x0c',
    '\x01',
    '\x1f',
    '\x7f',
    '~',
    '!',
  ];

  it('gives what the full clean-up gives for every short mix of letters and odd spaces', () => {
    // Disagreements are collected and compared once: an expect per string made this test seconds long.
    const differ = [...mixes(pieces, 7)].filter((s) => cleanText(s) !== reference(s)).map((s) => [s, cleanText(s), reference(s)]);
    expect(differ).toEqual([]);
  });

  it('says a cell needs cleaning exactly when the regex it replaces would', () => {
    const regex = /[\u200B-\u200D\u2060]|[^\S ]|  |^ | $/;
    const differ: Array<[string, boolean]> = [];
    for (const s of mixes(pieces, 11)) if (needsCleaning(s) !== regex.test(s)) differ.push([s, needsCleaning(s)]);
    // Every single character, ASCII and the whitespace blocks past it, alone and between letters.
    for (const code of [...Array(0x3001).keys(), 0xfeff]) {
      const c = String.fromCharCode(code);
      for (const s of [c, `a${c}b`, `a${c}`]) if (needsCleaning(s) !== regex.test(s)) differ.push([s, needsCleaning(s)]);
    }
    expect(differ).toEqual([]);
  });
});

describe('headerKeyIs', () => {
  it('agrees with comparing normalizeHeader for every short mix of header-ish characters', () => {
    const pieces = ['a', 'C', 'l', 'z', 'Z', '0', '9', '#', ' ', '-', '/', 'É', 'é', 'ß', 'n', 'u', 'm', 'b', 'e', 'r', '\u00A0', '@', '[', '`', '{'];
    const keys = ['', 'claimnumber', 'number', 'cl', 'c0', 'numberc', 'ez', 'e', 'ss'];
    const differ: Array<[string, string, boolean]> = [];
    for (const s of mixes(pieces, 5, 20000, 5)) {
      const normalized = normalizeHeader(s);
      for (const key of [...keys, normalized]) if (headerKeyIs(s, key) !== (normalized === key)) differ.push([s, key, headerKeyIs(s, key)]);
    }
    expect(differ).toEqual([]);
  });

  it('reads a repeated header as its header and a claim as not', () => {
    expect(headerKeyIs('Claim #', 'claimnumber')).toBe(true);
    expect(headerKeyIs('CLAIM NUMBER', 'claimnumber')).toBe(true);
    expect(headerKeyIs('Échéance 0-30', 'echeance030')).toBe(true);
    expect(headerKeyIs('C-00000001', 'claimnumber')).toBe(false);
    expect(headerKeyIs('Claim', 'claimnumber')).toBe(false);
    expect(headerKeyIs('', '')).toBe(true);
  });
});
