import type { ImportRecord } from '@ledgerport/db';
import { PaceSamples } from './progress-pace.js';

// Only what progress is computed from; the rest of the record does not matter here.
const running = (id: string, bytesRead: number) =>
  ({
    id,
    status: 'running',
    phase: 'staging',
    mode: 'preview',
    sizeBytes: 100,
    bytesRead,
    rowsRead: bytesRead,
    rowsAccepted: bytesRead,
    rowsCommitted: 0,
  }) as unknown as ImportRecord;
const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s));

describe('PaceSamples', () => {
  it('answers with the oldest sighting inside the window, at most one kept a second', () => {
    const pace = new PaceSamples(15_000);
    expect(pace.earlier(running('a', 1), at(0))).toBeUndefined();
    expect(pace.earlier(running('a', 2), at(0))).toBeUndefined(); // the same instant: no pace yet
    for (let s = 1; s <= 15; s++)
      expect(pace.earlier(running('a', s * 2), at(s))).toEqual({ at: at(0), fraction: 0.01 });
    // 16 s: the sighting at 0 s is out of the window.
    expect(pace.earlier(running('a', 40), at(16))).toEqual({ at: at(1), fraction: 0.02 });
  });

  it('starts the pace at the first progress, not while the worker is still starting', () => {
    const pace = new PaceSamples(15_000);
    expect(pace.earlier(running('a', 0), at(0))).toBeUndefined();
    expect(pace.earlier(running('a', 0), at(3))).toBeUndefined();
    expect(pace.earlier(running('a', 5), at(4))).toBeUndefined();
    expect(pace.earlier(running('a', 15), at(6))).toEqual({ at: at(4), fraction: 0.05 });
  });

  it('starts over when progress went back, and forgets an import that is no longer running', () => {
    const pace = new PaceSamples();
    pace.earlier(running('a', 50), at(0));
    expect(pace.earlier(running('a', 10), at(5))).toBeUndefined();
    expect(pace.earlier(running('a', 20), at(10))).toEqual({ at: at(5), fraction: 0.1 });
    expect(pace.earlier({ ...running('a', 30), status: 'failed' }, at(11))).toBeUndefined();
    expect(pace.earlier(running('a', 40), at(12))).toBeUndefined();
  });

  it('keeps its window through a dip of less than two points (the read a chunk ahead of the merge)', () => {
    const pace = new PaceSamples();
    pace.earlier(running('a', 30), at(0));
    expect(pace.earlier(running('a', 29), at(5))).toEqual({ at: at(0), fraction: 0.3 });
    expect(pace.earlier(running('a', 40), at(6))).toEqual({ at: at(0), fraction: 0.3 });
  });

  it('keeps at most maxImports imports, forgetting the one seen first', () => {
    const pace = new PaceSamples(15_000, 2);
    for (const id of ['a', 'b', 'c']) pace.earlier(running(id, 10), at(0));
    expect(pace.earlier(running('a', 20), at(5))).toBeUndefined();
    expect(pace.earlier(running('c', 20), at(5))).toEqual({ at: at(0), fraction: 0.1 });
  });
});
