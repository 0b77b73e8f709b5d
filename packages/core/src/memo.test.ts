import { memoByText } from './memo.js';

describe('memoByText', () => {
  it('reads each text once while it is remembered, and starts over past its limit', () => {
    const reads: string[] = [];
    const upper = memoByText((t) => {
      reads.push(t);
      return t.toUpperCase();
    }, 2);
    expect([upper('a'), upper('b'), upper('a'), upper('b')]).toEqual(['A', 'B', 'A', 'B']);
    expect(reads).toEqual(['a', 'b']);
    // A third text empties the cache: 'a' is read again, and then remembered again.
    expect([upper('c'), upper('a'), upper('a')]).toEqual(['C', 'A', 'A']);
    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });
});
