import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { HelpTopic } from './help.js';

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
      kind: string;
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
  | { name: 'errors'; id: string; csv: boolean; page: number; pageSize: number; connection: ConnectionFlags }
  | { name: 'locations'; connection: ConnectionFlags };

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
  errors: { ...common, csv: { type: 'boolean' }, page: { type: 'string' }, 'page-size': { type: 'string' } },
  locations: { ...common },
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
      const kind = str(values, 'kind') ?? 'aging';
      const location = str(values, 'location');
      // Aging files are per location; the patient kinds are practice-wide (the server knows each kind's rule).
      if (!location && kind === 'aging')
        throw new UsageError(
          'Say which location the file is for: --location "Main Street" (a name or an id; see ledgerport locations).',
          topic,
        );
      const dateOrder = oneOf(values, 'date-order', DATE_ORDERS, topic, (v) => v.toUpperCase());
      if (dateOrder && kind !== 'aging')
        throw new UsageError('--date-order is for aging files; the patient kinds have one date format each.', topic);
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
    case 'errors':
      return {
        name: 'errors',
        id: onlyPositional(positionals, 'id', topic),
        csv: values.csv === true,
        page: positiveInt(values, 'page', 1, Number.MAX_SAFE_INTEGER, topic),
        pageSize: positiveInt(values, 'page-size', 50, 500, topic),
        connection,
      };
    case 'locations':
      if (positionals.length)
        throw new UsageError(`locations takes no arguments (got ${positionals.join(' ')}).`, topic);
      return { name: 'locations', connection };
  }
}
