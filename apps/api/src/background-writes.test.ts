import { Writable } from 'node:stream';
import { pino } from 'pino';
import { BackgroundWrites } from './background-writes.js';

describe('writes a request does not wait for', () => {
  it('logs a failed write as an error, and drain waits for every write started', async () => {
    const lines: Array<{ level: number; msg: string; action?: string; err?: { message: string } }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const writes = new BackgroundWrites(pino({ level: 'info' }, sink));
    const done: string[] = [];
    let release = () => undefined as void;
    const slow = new Promise<void>((r) => (release = r));
    writes.run('a slow write', () => slow.then(() => done.push('slow')));
    writes.run('writing the audit log', () => Promise.reject(new Error('connection refused')), {
      action: 'import.read',
    });
    const drained = writes.drain().then(() => done.push('drained'));
    release();
    await drained;
    expect(done).toEqual(['slow', 'drained']);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'writing the audit log failed',
        action: 'import.read',
        err: expect.objectContaining({ message: 'connection refused' }),
      }),
    ]);
  });
});
