import { ApiError, ApiUnreachableError } from './api-client.js';
import type { ImportView } from './import-view.js';
import { watchImport } from './watch.js';

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

describe('watchImport', () => {
  it('polls until the import settles, reporting every state', async () => {
    const seen: string[] = [];
    const sleeps: number[] = [];
    const v = await watchImport(scripted([view('queued'), view('running'), view('completed')]), 'i', {
      intervalMs: 250,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      onUpdate: (u) => seen.push(u.status),
    });
    expect(v.status).toBe('completed');
    expect(seen).toEqual(['queued', 'running', 'completed']);
    expect(sleeps).toEqual([250, 250]);
  });

  it('rides out a few failed polls (an API restart) but not a refusal', async () => {
    const down = new ApiUnreachableError('http://x', { cause: new Error('ECONNREFUSED') });
    const v = await watchImport(scripted([view('running'), down, new ApiError(503, 'x', 'busy'), view('ready')]), 'i', {
      intervalMs: 1,
      sleep: () => Promise.resolve(),
      onUpdate: () => {},
    });
    expect(v.status).toBe('ready');
    await expect(
      watchImport(scripted([new ApiError(404, 'not_found', 'no such import')]), 'i', {
        intervalMs: 1,
        sleep: () => Promise.resolve(),
        onUpdate: () => {},
      }),
    ).rejects.toThrow('no such import');
    await expect(
      watchImport(scripted([down]), 'i', {
        intervalMs: 1,
        sleep: () => Promise.resolve(),
        onUpdate: () => {},
        maxFailures: 2,
      }),
    ).rejects.toBe(down);
  });
});
