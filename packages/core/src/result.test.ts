import { err, ok } from './result.js';

describe('Result helpers', () => {
  it('wrap a value or an error message', () => {
    expect(ok(5)).toEqual({ ok: true, value: 5 });
    expect(ok(null)).toEqual({ ok: true, value: null });
    expect(err('bad')).toEqual({ ok: false, error: 'bad' });
  });
});
