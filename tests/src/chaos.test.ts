import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// The short version of `npm run chaos` (issue 13): the same script, on a PostgreSQL cluster and a Redis
// of its own, with a 20,000-row file in 500-row chunks and three kills -9 instead of 200,000 rows and
// twenty. Every scenario must end claim for claim like the clean import. The take-over time is measured
// and printed, not asserted (`--moves-within 0`): a test does not race the clock on a shared machine.
const ROOT = path.resolve(__dirname, '../..');
const CHAOS = path.join(ROOT, 'tests/dist/chaos/chaos.js');

let child: ChildProcess | null = null;
// A run cut short by the test's timeout is told to stop: it then stops its own services and exits.
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

it('ends every import of the chaos run like a clean import: worker kills, Redis and Postgres restarts, SIGTERM', async () => {
  const run = spawn(
    process.execPath,
    [CHAOS, '--rows', '20000', '--kills', '3', '--chunk-rows', '500', '--moves-within', '0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child = run;
  let out = '';
  let err = '';
  run.stdout.on('data', (d: Buffer) => (out += d.toString()));
  run.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
  const lines = out.trim().split('\n');
  // On failure, the whole report (and where its logs were kept) is the message.
  expect({ code, last: lines.at(-1), report: code === 0 ? '' : `${out}\n${err}` }).toEqual({
    code: 0,
    last: '5 passed, 0 failed',
    report: '',
  });
  for (const name of [
    'worker killed -9 3 times',
    'Redis killed and restarted without its data',
    'Redis killed and restarted with its data',
    'Postgres stopped (immediate) and restarted',
    'SIGTERM to the worker and the API mid-import',
  ])
    expect(lines.some((l) => l.startsWith(`PASS  ${name}`))).toBe(true);
}, 600_000);
