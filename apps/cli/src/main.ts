#!/usr/bin/env node
// The `ledgerport` command: wires the process (argv, environment, streams, signals) to runCli.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from './run.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

// Ctrl-C while watching stops the watching only; an uploaded import goes on on the server.
process.once('SIGINT', () => {
  process.stderr.write('\nStopped. An import already uploaded goes on on the server: ledgerport status ID shows it.\n');
  process.exit(130);
});

process.exitCode = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    sleep: (ms) => sleep(ms),
  },
  version(),
);
