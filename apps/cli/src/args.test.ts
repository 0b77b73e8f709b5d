import { parseCommand, UsageError } from './args.js';

describe('parseCommand', () => {
  it('reads an upload with every option', () => {
    expect(
      parseCommand([
        'upload',
        'aging.csv',
        '--kind',
        'aging',
        '--location',
        'Main Street',
        '--format',
        'crystalpm',
        '--mode',
        'preview',
        '--on-invalid',
        'block',
        '--wait',
        '--token',
        't',
        '--api-url',
        'http://x',
      ]),
    ).toEqual({
      name: 'upload',
      file: 'aging.csv',
      kind: 'aging',
      location: 'Main Street',
      format: 'crystalpm',
      mode: 'preview',
      onInvalid: 'block',
      includeInactive: false,
      wait: true,
      json: false,
      connection: { apiUrl: 'http://x', token: 't' },
    });
  });

  it('defaults the kind to aging and leaves the rest to the server', () => {
    expect(parseCommand(['upload', 'a.csv', '--location=Riverside'])).toMatchObject({
      kind: 'aging',
      format: undefined,
      mode: undefined,
      wait: false,
    });
  });

  it('reads --date-order for any kind, in either case, and refuses it misspelt', () => {
    expect(parseCommand(['upload', 'a.csv', '--location', 'R', '--date-order', 'dmy'])).toMatchObject({
      dateOrder: 'DMY',
    });
    expect(() => parseCommand(['upload', 'a.csv', '--location', 'R', '--date-order', 'DD/MM'])).toThrow(
      new UsageError('--date-order must be MDY or DMY or YMD, not "DD/MM".', 'upload'),
    );
    // A patients file's dates of birth read day-first as much as an aging file's dates of service.
    expect(parseCommand(['upload', 'p.csv', '--kind', 'patients', '--date-order', 'DMY'])).toMatchObject({
      dateOrder: 'DMY',
    });
  });

  it('needs no location for the practice-wide patient kinds', () => {
    expect(parseCommand(['upload', 'p.csv', '--kind', 'patients', '--include-inactive'])).toMatchObject({
      kind: 'patients',
      location: undefined,
      includeInactive: true,
    });
  });

  it('answers --help on every command, and help COMMAND', () => {
    expect(parseCommand([])).toEqual({ name: 'help', topic: 'main' });
    expect(parseCommand(['--help'])).toEqual({ name: 'help', topic: 'main' });
    for (const c of ['upload', 'status', 'errors', 'retry', 'locations']) {
      expect(parseCommand([c, '--help'])).toEqual({ name: 'help', topic: c });
      expect(parseCommand([c, '-h'])).toEqual({ name: 'help', topic: c });
      expect(parseCommand(['help', c])).toEqual({ name: 'help', topic: c });
    }
  });

  it('takes --json on every command', () => {
    const lines: string[][] = [['upload', 'a.csv', '--location', 'Main'], ['status', 'abc'], ['retry', 'abc'], ['cancel', 'abc'], ['errors', 'abc'], ['list'], ['locations']];
    for (const line of lines) expect(parseCommand([...line, '--json'])).toMatchObject({ name: line[0], json: true });
  });

  it('reads status, retry and errors', () => {
    expect(parseCommand(['status', 'abc', '--wait', '--json'])).toMatchObject({
      name: 'status',
      id: 'abc',
      wait: true,
      json: true,
    });
    expect(parseCommand(['retry', 'abc'])).toMatchObject({ name: 'retry', id: 'abc', wait: false });
    expect(parseCommand(['errors', 'abc', '--csv'])).toMatchObject({
      name: 'errors',
      id: 'abc',
      csv: true,
      page: 1,
      pageSize: 50,
    });
    expect(parseCommand(['errors', 'abc', '--page', '3', '--page-size', '10'])).toMatchObject({
      page: 3,
      pageSize: 10,
    });
  });

  it.each([
    [['frobnicate'], /no command "frobnicate"/, 'main'],
    [['upload'], /Name the file/, 'upload'],
    [['upload', 'a.csv'], /--location/, 'upload'],
    [['upload', 'a.csv', 'b.csv', '--location', 'x'], /Expected one file, got 2/, 'upload'],
    [
      ['upload', 'a.csv', '--location', 'x', '--mode', 'later'],
      /--mode must be preview or commit, not "later"/,
      'upload',
    ],
    [['upload', 'a.csv', '--location', 'x', '--bogus'], /^Unknown option '--bogus'\.$/, 'upload'],
    [['status'], /Name the id/, 'status'],
    [['errors', 'x', '--page-size', '1000'], /--page-size must be a whole number from 1 to 500/, 'errors'],
  ])('refuses %j with a message that says what to do', (argv, message, topic) => {
    let caught: unknown;
    try {
      parseCommand(argv);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toMatch(message);
    expect((caught as UsageError).topic).toBe(topic);
  });
});
