import { ApiError, ApiUnreachableError, createApiClient } from './api-client.js';
import { parseCommand, UsageError } from './args.js';
import {
  AlreadyImported,
  cancelCommand,
  errorsCommand,
  listCommand,
  locationsCommand,
  retryCommand,
  statusCommand,
  uploadCommand,
} from './commands.js';
import { resolveConnection } from './config.js';
import { CommandFailed, EXIT, type Context } from './context.js';
import { HELP } from './help.js';

/** Runs one command line and returns the exit status; every failure is a message on stderr, never a stack. */
export async function runCli(argv: readonly string[], ctx: Context, version = '0.0.0'): Promise<number> {
  try {
    const cmd = parseCommand(argv);
    if (cmd.name === 'help') {
      ctx.stdout.write(HELP[cmd.topic]);
      return EXIT.ok;
    }
    if (cmd.name === 'version') {
      ctx.stdout.write(`ledgerport ${version}\n`);
      return EXIT.ok;
    }
    const conn = resolveConnection(cmd.connection, ctx.env, cmd.name);
    const client = createApiClient({ baseUrl: conn.apiUrl, token: conn.token, fetch: ctx.fetch });
    switch (cmd.name) {
      case 'upload':
        return await uploadCommand(cmd, client, ctx);
      case 'status':
        return await statusCommand(cmd, client, ctx);
      case 'retry':
        return await retryCommand(cmd, client, ctx);
      case 'cancel':
        return await cancelCommand(cmd, client, ctx);
      case 'errors':
        return await errorsCommand(cmd, client, ctx);
      case 'list':
        return await listCommand(cmd, client, ctx);
      case 'locations':
        return await locationsCommand(cmd, client, ctx);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr.write(
        `ledgerport: ${e.message}\nRun "ledgerport ${e.topic === 'main' ? '' : `${e.topic} `}--help" for usage.\n`,
      );
      return EXIT.usage;
    }
    if (e instanceof ApiUnreachableError) {
      ctx.stderr.write(
        `ledgerport: Could not reach the Ledgerport API at ${e.baseUrl} (${e.reason}). Check --api-url or LEDGERPORT_API_URL, and that the server is running.\n`,
      );
      return EXIT.unreachable;
    }
    if (e instanceof AlreadyImported) {
      ctx.stderr.write(`ledgerport: ${e.message}\n`);
      return EXIT.alreadyImported;
    }
    if (e instanceof ApiError || e instanceof CommandFailed) {
      ctx.stderr.write(`ledgerport: ${e.message}\n`);
      return EXIT.failed;
    }
    ctx.stderr.write(`ledgerport: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.failed;
  }
}
