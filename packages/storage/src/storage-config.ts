import { z } from 'zod';
import { LocalUploadStore } from './local-store.js';
import { S3UploadStore, type S3StoreOptions } from './s3-store.js';
import type { UploadStore } from './upload-store.js';

/**
 * The storage variables, the same for the API and the worker: each app's one config module spreads
 * them into its schema and refines it with checkStorageEnv, so a bad value is named at start.
 * Credentials may come from the standard AWS variables here, or else from the SDK's own chain
 * (AWS_PROFILE, an instance or task role).
 */
export const storageEnv = {
  /** local: a folder every process shares (UPLOAD_DIR); s3: an S3-compatible bucket */
  STORAGE: z.enum(['local', 's3']).default('local'),
  UPLOAD_DIR: z.string().min(1).default('var/uploads'),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: z.stringbool().default(false),
  S3_PREFIX: z.string().default(''),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
};

export type StorageEnv = z.infer<z.ZodObject<typeof storageEnv>>;

/** What a field-by-field schema cannot say: a bucket for s3, and both halves of a static key or none. */
export function checkStorageEnv(env: StorageEnv, ctx: z.RefinementCtx): void {
  if (env.STORAGE === 's3' && !env.S3_BUCKET)
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'STORAGE=s3 needs the bucket to keep uploads in' });
  if (Boolean(env.AWS_ACCESS_KEY_ID) !== Boolean(env.AWS_SECRET_ACCESS_KEY))
    ctx.addIssue({
      code: 'custom',
      path: [env.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'],
      message:
        'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together (or neither, to use the SDK’s own credentials)',
    });
}

export type StorageConfig = { driver: 'local'; dir: string } | ({ driver: 's3' } & S3StoreOptions);

export function storageConfigOf(env: StorageEnv): StorageConfig {
  if (env.STORAGE === 'local') return { driver: 'local', dir: env.UPLOAD_DIR };
  if (!env.S3_BUCKET) throw new Error('STORAGE=s3 needs S3_BUCKET');
  return {
    driver: 's3',
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    prefix: env.S3_PREFIX,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  };
}

export function createUploadStore(config: StorageConfig): UploadStore {
  return config.driver === 'local' ? new LocalUploadStore(config.dir) : new S3UploadStore(config);
}
