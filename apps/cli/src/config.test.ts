import { UsageError } from './args.js';
import { pollIntervalMs, progressStyle, resolveConnection } from './config.js';

describe('resolveConnection', () => {
  it('prefers flags over the environment', () => {
    expect(
      resolveConnection(
        { apiUrl: 'http://flag:1/', token: 'f' },
        { LEDGERPORT_API_URL: 'http://env', LEDGERPORT_TOKEN: 'e' },
        'status',
      ),
    ).toEqual({
      apiUrl: 'http://flag:1',
      token: 'f',
    });
    expect(resolveConnection({}, { LEDGERPORT_API_URL: 'http://env:2', LEDGERPORT_TOKEN: 'e' }, 'status')).toEqual({
      apiUrl: 'http://env:2',
      token: 'e',
    });
  });

  it('names the flag and the variable when something is missing or wrong', () => {
    expect(() => resolveConnection({}, { LEDGERPORT_TOKEN: 't' }, 'upload')).toThrow(
      /--api-url URL or LEDGERPORT_API_URL/,
    );
    expect(() => resolveConnection({}, { LEDGERPORT_API_URL: 'http://x' }, 'upload')).toThrow(
      /LEDGERPORT_TOKEN \(or --token\)/,
    );
    expect(() => resolveConnection({ apiUrl: 'localhost:3000', token: 't' }, {}, 'upload')).toThrow(UsageError);
    expect(() => resolveConnection({ apiUrl: 'ftp://x', token: 't' }, {}, 'upload')).toThrow(/http:\/\/ or https:\/\//);
  });
});

describe('progressStyle', () => {
  it('draws a bar on a terminal and lines elsewhere, unless told otherwise', () => {
    expect(progressStyle({}, true)).toBe('bar');
    expect(progressStyle({}, false)).toBe('lines');
    expect(progressStyle({ TERM: 'dumb' }, true)).toBe('lines');
    expect(progressStyle({ LEDGERPORT_PROGRESS: 'bar' }, false)).toBe('bar');
    expect(progressStyle({ LEDGERPORT_PROGRESS: 'lines' }, true)).toBe('lines');
  });
});

describe('pollIntervalMs', () => {
  it('polls every second unless a sane interval is given', () => {
    expect(pollIntervalMs({})).toBe(1000);
    expect(pollIntervalMs({ LEDGERPORT_POLL_MS: '200' })).toBe(200);
    expect(pollIntervalMs({ LEDGERPORT_POLL_MS: '1' })).toBe(1000);
    expect(pollIntervalMs({ LEDGERPORT_POLL_MS: 'soon' })).toBe(1000);
  });
});
