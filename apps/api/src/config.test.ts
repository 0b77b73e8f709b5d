import { ConfigError, loadApiConfig } from './config.js';

describe('API configuration', () => {
  it('has working defaults', () => {
    expect(loadApiConfig({})).toMatchObject({ PORT: 3000, MAX_UPLOAD_BYTES: 512 * 1024 * 1024, QUEUE_PREFIX: 'ledgerport', JOB_ATTEMPTS: 5, AUTH_CACHE_MS: 5000 });
  });
  it('keeps the queue dashboard read-only, with 30-minute idle and 8-hour sessions, unless told otherwise', () => {
    expect(loadApiConfig({})).toMatchObject({ QUEUE_DASHBOARD_WRITABLE: false, OPERATOR_SESSION_IDLE_MINUTES: 30, OPERATOR_SESSION_MAX_HOURS: 8, TRUST_PROXY: 'loopback' });
    expect(loadApiConfig({ QUEUE_DASHBOARD_WRITABLE: 'true' }).QUEUE_DASHBOARD_WRITABLE).toBe(true);
    expect(loadApiConfig({ QUEUE_DASHBOARD_WRITABLE: 'false' }).QUEUE_DASHBOARD_WRITABLE).toBe(false);
  });
  it('gives API tokens 90 days unless told otherwise, and rate limits a polling page never meets', () => {
    expect(loadApiConfig({})).toMatchObject({
      API_TOKEN_TTL_DAYS: 90,
      API_TOKEN_MAX_TTL_DAYS: 365,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_PER_TOKEN: 1200,
      RATE_LIMIT_PER_IP: 3000,
      RATE_LIMIT_AUTH_FAILURES_PER_IP: 30,
    });
  });
  it.each([
    ['2', 2],
    ['true', true],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
    ['::1/128', '::1/128'],
  ])('takes TRUST_PROXY=%p as Express does', (value, expected) => {
    expect(loadApiConfig({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });
  it.each([
    ['PORT', 'abc'],
    ['MAX_UPLOAD_BYTES', '-5'],
    ['DATABASE_URL', 'not a url'],
    ['JOB_ATTEMPTS', '0'],
    ['AUTH_CACHE_MS', '-1'],
    ['AUTH_CACHE_MS', '600000'],
    ['QUEUE_DASHBOARD_WRITABLE', 'sometimes'],
    ['OPERATOR_SESSION_IDLE_MINUTES', '0'],
    ['OPERATOR_SESSION_MAX_HOURS', '1000'],
    ['TRUST_PROXY', 'my-proxy'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['API_TOKEN_TTL_DAYS', '0'],
    ['API_TOKEN_TTL_DAYS', '400'],
    ['RATE_LIMIT_PER_TOKEN', '-1'],
    ['RATE_LIMIT_WINDOW_SECONDS', '0'],
  ])('stops on a bad %s and names it', (name, value) => {
    expect(() => loadApiConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadApiConfig({ [name]: value })).toThrow(new RegExp(`${name}: .*\\(got "${value}"\\)`));
  });
});
