import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface S3Server {
  /** the variables that point a Ledgerport process at a bucket of this server */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A real S3 API (s3rver) on a free loopback port with one empty bucket, for a test file of its own. */
export async function startS3Server(bucket = 'ledgerport-uploads'): Promise<S3Server> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lp-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  return {
    env: {
      STORAGE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_REGION: 'us-east-1',
      // s3rver's fixed keys
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
