import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../../apps/cli/dist/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function ensureCliBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx turbo run build), as npm test does.`);
}

function quote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the built `ledgerport` command. Without `tty` its output goes to pipes, as under cron; with
 * `tty` it runs inside `script` (util-linux), which gives it a real pseudo-terminal, and everything it
 * printed comes back as stdout. `shell` runs a shell line instead (for redirections). `interruptWhen`
 * presses Ctrl-C (SIGINT) once what it printed on stderr so far passes the test.
 */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; tty?: boolean; shellSuffix?: string; interruptWhen?: (stderr: string) => boolean } = {},
): Promise<CliResult> {
  const env = {
    ...process.env,
    LEDGERPORT_API_URL: '',
    LEDGERPORT_TOKEN: '',
    LEDGERPORT_PROGRESS: '',
    NO_COLOR: '1',
    ...opts.env,
    SHELL: '/bin/sh',
  };
  const line = [process.execPath, CLI, ...args].map(quote).join(' ') + (opts.shellSuffix ? ` ${opts.shellSuffix}` : '');
  const [cmd, argv] = opts.tty
    ? ['script', ['-q', '-e', '-c', `stty cols 100 2>/dev/null; ${line}`, '/dev/null']]
    : opts.shellSuffix
      ? ['/bin/sh', ['-c', line]]
      : [process.execPath, [CLI, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    let interrupted = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      if (opts.interruptWhen && !interrupted && opts.interruptWhen(stderr)) interrupted = child.kill('SIGINT');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
