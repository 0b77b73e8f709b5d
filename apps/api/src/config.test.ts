import { ConfigError, loadApiConfig } from './config.js';

describe('API configuration', () => {
  it('has working defaults', () => {
    expect(loadApiConfig({})).toMatchObject({ PORT: 3000, MAX_UPLOAD_BYTES: 512 * 1024 * 1024, QUEUE_PREFIX: 'ledgerport', JOB_ATTEMPTS: 5, AUTH_CACHE_MS: 5000 });
  });
  it.each([
    ['PORT', 'abc'],
    ['MAX_UPLOAD_BYTES', '-5'],
    ['DATABASE_URL', 'not a url'],
    ['JOB_ATTEMPTS', '0'],
    ['AUTH_CACHE_MS', '-1'],
    ['AUTH_CACHE_MS', '600000'],
  ])('stops on a bad %s and names it', (name, value) => {
    expect(() => loadApiConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadApiConfig({ [name]: value })).toThrow(new RegExp(`${name}: .*\\(got "${value}"\\)`));
  });
});
