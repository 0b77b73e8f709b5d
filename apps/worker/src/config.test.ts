import { ConfigError, loadWorkerConfig } from './config.js';

describe('worker configuration', () => {
  it('has working defaults', () => {
    expect(loadWorkerConfig({})).toMatchObject({ CHUNK_ROWS: 5000, CLOSE_SLICE_CLAIMS: 250_000, WORKER_CONCURRENCY: 2, JOB_ATTEMPTS: 5, WORKER_NICE: 5 });
  });
  it.each([
    ['CHUNK_ROWS', '0'],
    ['WORKER_CONCURRENCY', 'many'],
    ['REDIS_URL', 'localhost'],
    ['LOG_LEVEL', 'loud'],
    ['WORKER_NICE', '20'],
    ['WORKER_NICE', '-21'],
  ])('stops on a bad %s and names it', (name, value) => {
    expect(() => loadWorkerConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadWorkerConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });
  it('keeps uploads in the local folder unless told to use a bucket, and then needs the bucket', () => {
    expect(loadWorkerConfig({})).toMatchObject({ STORAGE: 'local', UPLOAD_DIR: 'var/uploads' });
    expect(() => loadWorkerConfig({ STORAGE: 's3' })).toThrow(/S3_BUCKET: STORAGE=s3 needs the bucket/);
    expect(() => loadWorkerConfig({ STORAGE: 'ftp' })).toThrow(/STORAGE: /);
  });
});
