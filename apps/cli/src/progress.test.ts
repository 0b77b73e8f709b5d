import { barReporter, lineReporter, renderBar, renderLine, type ProgressView } from './progress.js';

const running: ProgressView = {
  status: 'running',
  phase: 'staging',
  percent: 52,
  rowsRead: 6240,
  rowsAccepted: 6200,
  rowsCommitted: 0,
  rowsPerSecond: 3100,
  etaSeconds: 12,
};

describe('renderBar', () => {
  it('shows the step, a bar, the percentage, rows, rate and time left', () => {
    const line = renderBar(running, 100);
    expect(line).toMatch(/^reading +\[█+░+\] +52% {2}6,240 rows read {2}3,100 rows\/s {2}12 s left$/);
    expect(line.length).toBeLessThan(100);
  });

  it('never wraps a narrow terminal', () => {
    expect(renderBar(running, 50).length).toBeLessThanOrEqual(49);
  });

  it('keeps the bar one width as the numbers change', () => {
    const a = renderBar({ ...running, rowsRead: 5, rowsPerSecond: 0, etaSeconds: null }, 120);
    const b = renderBar({ ...running, rowsRead: 1_234_567, rowsTotal: 2_000_000, rowsTotalEstimated: true }, 120);
    expect(a.indexOf(']')).toBe(b.indexOf(']'));
    expect(b).toContain('1,234,567 of about 2,000,000 rows read');
  });

  it('counts saved rows while committing and drops rate and time once finished', () => {
    expect(renderBar({ ...running, phase: 'committing', percent: 75.5, rowsCommitted: 3000 }, 120)).toContain(
      '76%  3,000 of 6,200 rows saved',
    );
    const done = renderBar({ ...running, status: 'completed', phase: 'done', percent: 100, etaSeconds: 0 }, 120);
    expect(done).toMatch(/^completed \[█{40}\] +100% {2}6,240 rows read$/);
  });
});

describe('renderLine', () => {
  it('is one plain line without control characters', () => {
    expect(renderLine(running)).toBe('reading: 52% · 6,240 rows read · 3,100 rows/s · 12 s left');
    expect(renderLine({ ...running, rowsTotal: 12_000, rowsTotalEstimated: false })).toBe(
      'reading: 52% · 6,240 of 12,000 rows read · 3,100 rows/s · 12 s left',
    );
    expect(renderLine({ ...running, rowsRead: 1, rowsTotal: null })).toContain('1 row read');
    expect(
      renderLine({
        ...running,
        status: 'queued',
        phase: 'queued',
        percent: 0,
        rowsRead: 0,
        rowsPerSecond: 0,
        etaSeconds: null,
      }),
    ).toBe('waiting: 0% · 0 rows read');
  });
});

describe('reporters', () => {
  it('redraws the bar in place and ends on a new line', () => {
    const out: string[] = [];
    const r = barReporter({ write: (s: string) => out.push(s), columns: 80 });
    r.update(running);
    r.update({ ...running, percent: 60 });
    r.finish();
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\r.*\x1b\[K$/);
    expect(out[2]).toBe('\n');
  });

  it('prints a line per step change, and otherwise at most one per interval', () => {
    const out: string[] = [];
    let t = 0;
    const r = lineReporter({ write: (s: string) => out.push(s) }, { everyMs: 5000, now: () => t, stamp: (d) => `t=${d.getTime()}` });
    r.update({ ...running, status: 'queued', phase: 'queued', percent: 0, rowsRead: 0 });
    r.update(running);
    t = 1000;
    r.update({ ...running, percent: 55 });
    t = 6000;
    r.update({ ...running, percent: 70 });
    r.update({ ...running, percent: 70 });
    r.update({ ...running, status: 'completed', phase: 'done', percent: 100 });
    expect(out.map((l) => l.split(':')[0])).toEqual(['[t=0] waiting', '[t=0] reading', '[t=6000] reading', '[t=6000] completed']);
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
  });
});
