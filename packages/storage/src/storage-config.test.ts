import { z } from 'zod';
import { checkStorageEnv, createUploadStore, storageConfigOf, storageEnv } from './storage-config.js';
import { LocalUploadStore } from './local-store.js';
import { S3UploadStore } from './s3-store.js';

// The same schema fragment each app's config module spreads into its own.
const schema = z.object(storageEnv).superRefine(checkStorageEnv);
const parse = (env: Record<string, string>) => schema.safeParse(env);
const problems = (env: Record<string, string>) => {
  const r = parse(env);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

it('keeps uploads in the local folder by default', () => {
  const env = schema.parse({});
  expect(storageConfigOf(env)).toEqual({ driver: 'local', dir: 'var/uploads' });
  expect(createUploadStore(storageConfigOf(env))).toBeInstanceOf(LocalUploadStore);
});

it('reads an S3-compatible bucket from the S3_* and standard AWS variables', () => {
  const env = schema.parse({
    STORAGE: 's3',
    S3_BUCKET: 'ledgerport-uploads',
    S3_ENDPOINT: 'http://minio:9000',
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'id',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
  const config = storageConfigOf(env);
  expect(config).toEqual({
    driver: 's3',
    bucket: 'ledgerport-uploads',
    endpoint: 'http://minio:9000',
    forcePathStyle: true,
    region: 'eu-west-1',
    prefix: '',
    credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
  });
  const store = createUploadStore(config);
  expect(store).toBeInstanceOf(S3UploadStore);
  expect(store.description).toBe('S3 bucket ledgerport-uploads at http://minio:9000');
  store.close();
  // Without static keys the SDK's own chain (a profile, an instance or task role) finds them.
  expect(storageConfigOf(schema.parse({ STORAGE: 's3', S3_BUCKET: 'b-1' }))).not.toHaveProperty('credentials');
});

it('names what is wrong', () => {
  expect(problems({ STORAGE: 's3' })).toEqual(['S3_BUCKET: STORAGE=s3 needs the bucket to keep uploads in']);
  expect(problems({ STORAGE: 'nfs' })[0]).toMatch(/^STORAGE: /);
  expect(problems({ STORAGE: 's3', S3_BUCKET: 'b-1', S3_ENDPOINT: 'minio' })[0]).toMatch(/^S3_ENDPOINT: /);
  expect(problems({ STORAGE: 's3', S3_BUCKET: 'b-1', S3_FORCE_PATH_STYLE: 'maybe' })[0]).toMatch(
    /^S3_FORCE_PATH_STYLE: /,
  );
  expect(problems({ AWS_ACCESS_KEY_ID: 'id' })[0]).toMatch(
    /^AWS_SECRET_ACCESS_KEY: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together/,
  );
});
