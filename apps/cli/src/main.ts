#!/usr/bin/env node
// The `ledgerport` command: wires the process (argv, environment, streams, signals) to runCli.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT } from './context.js';
import { runCli } from './run.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

const watching: { id: string | null; statusUrl: string | null } = { id: null, statusUrl: null };

// Ctrl-C while watching stops the watching only; an uploaded import goes on on the server. Exit 130
// (128 + SIGINT), as shells expect of an interrupted command.
process.once('SIGINT', () => {
  process.stderr.write(
    watching.id
      ? `\nStopped watching. Import ${watching.id} goes on on the server (${watching.statusUrl ?? ''}): ledgerport status ${watching.id} --wait\n`
      : '\nStopped.\n',
  );
  process.exit(EXIT.interrupted);
});

process.exitCode = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    sleep: (ms) => sleep(ms),
    watching,
  },
  version(),
);
