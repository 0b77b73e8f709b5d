import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ImportKind, ImportStatus } from '@ledgerport/api-client';
import type { HelpTopic } from './help.js';

export const KINDS: readonly ImportKind[] = ['aging', 'patients', 'patient_balances', 'patient_credits'];
const STATUSES: readonly ImportStatus[] = ['queued', 'running', 'ready', 'completed', 'failed', 'cancelled', 'reverted'];

/** The command line is wrong; the message says how to put it right. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly topic: HelpTopic = 'main',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ConnectionFlags {
  apiUrl?: string;
  token?: string;
}

export type Command =
  | { name: 'help'; topic: HelpTopic }
  | { name: 'version' }
  | {
      name: 'upload';
      file: string;
      kind: ImportKind;
      location?: string;
      format?: string;
      dateOrder?: 'MDY' | 'DMY' | 'YMD';
      includeInactive: boolean;
      mode?: 'preview' | 'commit';
      onInvalid?: 'skip' | 'block';
      wait: boolean;
      json: boolean;
      connection: ConnectionFlags;
    }
  | { name: 'status'; id: string; wait: boolean; json: boolean; connection: ConnectionFlags }
  | { name: 'retry'; id: string; wait: boolean; json: boolean; connection: ConnectionFlags }
  | { name: 'cancel'; id: string; json: boolean; connection: ConnectionFlags }
  | {
      name: 'errors';
      id: string;
      csv: boolean;
      json: boolean;
      group: boolean;
      severity?: 'error' | 'warning';
      page: number;
      pageSize: number;
      connection: ConnectionFlags;
    }
  | {
      name: 'list';
      status?: ImportStatus[];
      kind?: ImportKind[];
      location?: string;
      limit: number;
      json: boolean;
      connection: ConnectionFlags;
    }
  | { name: 'locations'; json: boolean; connection: ConnectionFlags };

type Options = NonNullable<ParseArgsConfig['options']>;

const common: Options = {
  'api-url': { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const COMMANDS: Record<Exclude<HelpTopic, 'main'>, Options> = {
  upload: {
    ...common,
    kind: { type: 'string' },
    location: { type: 'string' },
    format: { type: 'string' },
    'date-order': { type: 'string' },
    mode: { type: 'string' },
    'on-invalid': { type: 'string' },
    'include-inactive': { type: 'boolean' },
    wait: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  status: { ...common, wait: { type: 'boolean' }, json: { type: 'boolean' } },
  retry: { ...common, wait: { type: 'boolean' }, json: { type: 'boolean' } },
  cancel: { ...common, json: { type: 'boolean' } },
  errors: {
    ...common,
    csv: { type: 'boolean' },
    json: { type: 'boolean' },
    group: { type: 'boolean' },
    warnings: { type: 'boolean' },
    'errors-only': { type: 'boolean' },
    page: { type: 'string' },
    'page-size': { type: 'string' },
  },
  list: {
    ...common,
    status: { type: 'string' },
    kind: { type: 'string' },
    location: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  locations: { ...common, json: { type: 'boolean' } },
};

function isCommand(s: string | undefined): s is keyof typeof COMMANDS {
  return s !== undefined && Object.hasOwn(COMMANDS, s);
}

type Values = Record<string, string | boolean | undefined>;

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

const DATE_ORDERS = ['MDY', 'DMY', 'YMD'] as const;

function oneOf<T extends string>(
  values: Values,
  name: string,
  allowed: readonly T[],
  topic: HelpTopic,
  normalize: (v: string) => string = (v) => v,
): T | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const v = normalize(raw);
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be ${allowed.join(' or ')}, not "${raw}".`, topic);
  return v as T;
}

/** `--status failed,queued`: each one checked, so a typo is a usage error and not an empty list. */
function listOf<T extends string>(values: Values, name: string, allowed: readonly T[], topic: HelpTopic): T[] | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  const wrong = items.filter((x) => !(allowed as readonly string[]).includes(x));
  if (wrong.length || !items.length)
    throw new UsageError(`--${name} takes one or more of ${allowed.join(', ')} (separated by commas), not "${raw}".`, topic);
  return items as T[];
}

function positiveInt(values: Values, name: string, fallback: number, max: number, topic: HelpTopic): number {
  const v = str(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, not "${v}".`, topic);
  return n;
}

function onlyPositional(positionals: string[], what: string, topic: HelpTopic): string {
  if (positionals.length === 0)
    throw new UsageError(`Name the ${what}: ledgerport ${topic} ${what.toUpperCase()}.`, topic);
  if (positionals.length > 1)
    throw new UsageError(
      `Expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}. Quote a name with spaces.`,
      topic,
    );
  return positionals[0] as string;
}

/** Turns argv (without node and the script) into one command, or throws UsageError. */
export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') return { name: 'help', topic: 'main' };
  if (first === '--version' || first === '-v') return { name: 'version' };
  if (first === 'help') return { name: 'help', topic: isCommand(rest[0]) ? rest[0] : 'main' };
  if (!isCommand(first))
    throw new UsageError(`There is no command "${first}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
  const topic = first;
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: COMMANDS[topic], allowPositionals: true, strict: true }) as {
      values: Values;
      positionals: string[];
    };
  } catch (e) {
    // node's messages go on about "--" for positionals; the first sentence is the useful part.
    // (Read .message without instanceof: errors from node's own realm fail it under some runners.)
    const raw =
      typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : String(e);
    const message = raw.split('. ')[0] ?? raw;
    throw new UsageError(`${message.replace(/\.$/, '')}.`, topic);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help', topic };
  const connection: ConnectionFlags = { apiUrl: str(values, 'api-url'), token: str(values, 'token') };
  const wait = values.wait === true;
  const json = values.json === true;

  switch (topic) {
    case 'upload': {
      const file = onlyPositional(positionals, 'file', topic);
      const kind = oneOf(values, 'kind', KINDS, topic, (v) => v.toLowerCase().replaceAll('-', '_')) ?? 'aging';
      const location = str(values, 'location');
      // Aging files are per location; the patient kinds are practice-wide (the server knows each kind's rule).
      if (!location && kind === 'aging')
        throw new UsageError(
          'Say which location the file is for: --location "Main Street" (a name or an id; see ledgerport locations).',
          topic,
        );
      const dateOrder = oneOf(values, 'date-order', DATE_ORDERS, topic, (v) => v.toUpperCase());
      return {
        name: 'upload',
        file,
        kind,
        location,
        includeInactive: values['include-inactive'] === true,
        format: str(values, 'format'),
        dateOrder,
        mode: oneOf(values, 'mode', ['preview', 'commit'], topic),
        onInvalid: oneOf(values, 'on-invalid', ['skip', 'block'], topic),
        wait,
        json,
        connection,
      };
    }
    case 'status':
    case 'retry':
      return { name: topic, id: onlyPositional(positionals, 'id', topic), wait, json, connection };
    case 'cancel':
      return { name: 'cancel', id: onlyPositional(positionals, 'id', topic), json, connection };
    case 'errors': {
      if (values.warnings === true && values['errors-only'] === true)
        throw new UsageError('Choose --warnings or --errors-only, not both.', topic);
      if (values.csv === true && json) throw new UsageError('Choose --csv or --json, not both.', topic);
      const severity = values.warnings === true ? 'warning' : values['errors-only'] === true ? 'error' : undefined;
      return {
        name: 'errors',
        id: onlyPositional(positionals, 'id', topic),
        csv: values.csv === true,
        json,
        group: values.group === true,
        ...(severity ? { severity } : {}),
        page: positiveInt(values, 'page', 1, Number.MAX_SAFE_INTEGER, topic),
        pageSize: positiveInt(values, 'page-size', 50, 500, topic),
        connection,
      };
    }
    case 'list': {
      if (positionals.length) throw new UsageError(`list takes no arguments (got ${positionals.join(' ')}).`, topic);
      const status = listOf(values, 'status', STATUSES, topic);
      const kind = listOf(values, 'kind', KINDS, topic);
      const location = str(values, 'location');
      return {
        name: 'list',
        ...(status ? { status } : {}),
        ...(kind ? { kind } : {}),
        ...(location ? { location } : {}),
        limit: positiveInt(values, 'limit', 20, 500, topic),
        json,
        connection,
      };
    }
    case 'locations':
      if (positionals.length)
        throw new UsageError(`locations takes no arguments (got ${positionals.join(' ')}).`, topic);
      return { name: 'locations', json, connection };
  }
}
