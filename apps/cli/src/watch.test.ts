import { ApiError, ApiUnreachableError } from './api-client.js';
import type { ImportView } from './import-view.js';
import { WatchLost, watchImport } from './watch.js';

const view = (status: ImportView['status']) => ({ id: 'i', status }) as ImportView;

function scripted(steps: Array<ImportView | Error>) {
  let i = 0;
  return {
    getImport: () => {
      const step = steps[Math.min(i++, steps.length - 1)];
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step as ImportView);
    },
  };
}

/** A clock the sleeps move: no test waits for real time. */
function clock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

const down = new ApiUnreachableError('http://x', 'connect ECONNREFUSED');

describe('watchImport', () => {
  it('polls until the import settles, reporting every state', async () => {
    const seen: string[] = [];
    const c = clock();
    const v = await watchImport(scripted([view('queued'), view('running'), view('completed')]), 'i', {
      intervalMs: 250,
      ...c,
      onUpdate: (u) => seen.push(u.status),
    });
    expect(v.status).toBe('completed');
    expect(seen).toEqual(['queued', 'running', 'completed']);
    expect(c.sleeps).toEqual([250, 250]);
  });

  it('waits out an API that is away, backing off, then carries on at the usual pace', async () => {
    const c = clock();
    const outages: number[] = [];
    const v = await watchImport(
      scripted([view('running'), down, down, new ApiError(503, 'x', 'busy'), down, down, down, view('running'), view('ready')]),
      'i',
      { intervalMs: 1000, ...c, onUpdate: () => {}, onOutage: (_e, ms) => outages.push(ms) },
    );
    expect(v.status).toBe('ready');
    expect(outages).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    expect(c.sleeps.at(-1)).toBe(1000);
  });

  it('ends at once on a refusal', async () => {
    const c = clock();
    await expect(
      watchImport(scripted([new ApiError(404, 'not_found', 'no such import')]), 'i', { intervalMs: 1, ...c, onUpdate: () => {} }),
    ).rejects.toThrow('no such import');
  });

  it('gives up after the outage limit, naming the import and what it last saw', async () => {
    const c = clock();
    const err = await watchImport(scripted([view('running'), down]), 'i', {
      intervalMs: 1000,
      ...c,
      onUpdate: () => {},
      maxOutageMs: 60_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WatchLost);
    expect((err as WatchLost).importId).toBe('i');
    expect((err as WatchLost).last?.status).toBe('running');
    expect((err as WatchLost).outageMs).toBe(60_000);
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBe(1000 + 60_000);
  });
});
