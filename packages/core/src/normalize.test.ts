import { cleanText, normalizeHeader, normalizePayerName } from './normalize.js';

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
  ];

  it('gives what the full clean-up gives for every short mix of letters and odd spaces', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 20000; n++) {
      let s = '';
      const len = next() % 7;
      for (let i = 0; i < len; i++) s += pieces[next() % pieces.length];
      expect(cleanText(s)).toBe(reference(s));
    }
  });
});
