import { copyField } from './copy-text.js';

describe('COPY text fields', () => {
  it('writes null, and a field left out, as \\N, never as text', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
  });

  it('escapes backslashes, tabs and line breaks, and leaves other text as it is', () => {
    expect(copyField('O\\Brien\tx\ny\rz')).toBe('O\\\\Brien\\tx\\ny\\rz');
    expect(copyField('Doe, Jane')).toBe('Doe, Jane');
    expect(copyField(-1200)).toBe('-1200');
  });
});
