import { OutageLog } from './outage-log.js';

function recorder() {
  const lines: Array<{ level: string; msg: string; obj: Record<string, unknown> }> = [];
  return {
    lines,
    logger: {
      warn: (obj: object, msg: string) => lines.push({ level: 'warn', msg, obj: obj as Record<string, unknown> }),
      info: (obj: object, msg: string) => lines.push({ level: 'info', msg, obj: obj as Record<string, unknown> }),
    },
  };
}

it('logs one warning when a service goes down, a reminder a minute, and one line when it is back', () => {
  let t = 0;
  const r = recorder();
  const log = new OutageLog('redis', r.logger, () => t);
  log.down(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));
  for (t = 1000; t < 59_000; t += 1000) log.down(new Error('connect ECONNREFUSED'));
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]).toMatchObject({ level: 'warn', obj: { service: 'redis', error: { code: 'ECONNREFUSED' } } });
  t = 61_000;
  log.down(new Error('connect ECONNREFUSED'));
  expect(r.lines).toHaveLength(2);
  expect(r.lines[1]!.msg).toMatch(/still unreachable/);
  expect(r.lines[1]!.obj.errors).toBe(59);
  t = 70_000;
  log.up();
  log.up();
  expect(r.lines).toHaveLength(3);
  expect(r.lines[2]).toMatchObject({ level: 'info', obj: { downForMs: 70_000 } });
  expect(log.isDown).toBe(false);
});

it('logs only the code and message of an error, never its detail or parameters', () => {
  const r = recorder();
  const err = Object.assign(new Error('terminating connection'), {
    code: '57P01',
    detail: 'Jane Doe',
    parameters: ['Jane Doe'],
  });
  new OutageLog('postgres', r.logger).down(err);
  expect(JSON.stringify(r.lines)).not.toMatch(/Jane/);
});
