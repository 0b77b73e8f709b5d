import { spawn } from 'node:child_process';
import { getPriority } from 'node:os';
import { applyWorkerNice } from './priority.js';

function recorder() {
  const calls: Array<{ level: 'info' | 'warn'; obj: unknown; msg: string }> = [];
  return {
    calls,
    info: (obj: unknown, msg: string) => calls.push({ level: 'info', obj, msg }),
    warn: (obj: unknown, msg: string) => calls.push({ level: 'warn', obj, msg }),
  };
}

describe('the worker CPU priority', () => {
  it('sets the nice value of the process it is given and says so', () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const log = recorder();
      expect(applyWorkerNice(7, log as never, child.pid)).toBe(7);
      expect(getPriority(child.pid)).toBe(7);
      expect(log.calls).toEqual([{ level: 'info', obj: { nice: 7 }, msg: 'worker CPU priority set' }]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('warns and carries on when the OS refuses', () => {
    const log = recorder();
    // No such process: the OS refuses as it would a change the worker is not allowed to make.
    expect(applyWorkerNice(5, log as never, 2 ** 22 + 12_345)).toBeNull();
    expect(log.calls).toHaveLength(1);
    expect(log.calls[0]).toMatchObject({ level: 'warn', obj: { nice: 5, code: 'ERR_SYSTEM_ERROR' } });
  });
});
