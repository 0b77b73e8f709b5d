import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { StorageUnreachable, StorageWriteError, StoredObjectMissing, toError } from './errors.js';
import type { LocalCopy, UploadStore } from './upload-store.js';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** another S3 API than AWS's (MinIO, R2, …) */
  endpoint?: string;
  /** bucket in the path (http://minio:9000/bucket/key), as MinIO and most self-hosted stores want */
  forcePathStyle: boolean;
  /** prepended to every key, so one bucket can hold other things too */
  prefix: string;
  /** static keys; absent, the SDK's own chain finds them (AWS_PROFILE, an instance or task role, …) */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

// A multipart upload holds at most queueSize parts in memory: 2 × 8 MiB per upload in flight, whatever
// the file's size (S3's smallest part is 5 MiB).
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

interface S3Fault {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}
const faultOf = (e: unknown): S3Fault => (typeof e === 'object' && e !== null ? e : {});
const isNoSuchKey = (e: unknown) => ['NoSuchKey', 'NotFound'].includes(faultOf(e).name ?? '');
const isFull = (e: unknown) => {
  const f = faultOf(e);
  return f.$metadata?.httpStatusCode === 507 || /StorageFull|QuotaExceeded/i.test(`${f.name ?? ''} ${f.Code ?? ''}`);
};

/** S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, …): every process reads one bucket. */
export class S3UploadStore implements UploadStore {
  readonly description: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3StoreOptions) {
    const config: S3ClientConfig = {
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      // A store that does not answer fails the request within seconds instead of hanging an upload.
      requestHandler: { connectionTimeout: 5_000 },
      // The SDK's default CRC checksums on every request are refused by several S3-compatible stores;
      // ask for them only where the API requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    };
    this.client = new S3Client(config);
    this.description = `S3 bucket ${options.bucket}${options.endpoint ? ` at ${options.endpoint}` : ` (${options.region})`}`;
  }

  private objectKey(key: string): string {
    return `${this.options.prefix}${key}`;
  }

  async put(key: string, body: Readable): Promise<void> {
    let sourceFailure: Error | undefined;
    body.once('error', (e) => (sourceFailure = e));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: this.objectKey(key), Body: body },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      // a failed multipart upload is aborted, so no part of it is left (or billed)
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (e) {
      if (sourceFailure) throw sourceFailure;
      throw new StorageWriteError(
        isFull(e) ? 'full' : 'unavailable',
        `could not write ${key} to ${this.description}: ${faultOf(e).name ?? toError(e).message}`,
        { cause: toError(e) },
      );
    }
  }

  async read(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: this.objectKey(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}),
        }),
      );
      // In Node the body is an http.IncomingMessage: a Readable that streams as it is read.
      return res.Body as Readable;
    } catch (e) {
      if (isNoSuchKey(e)) throw new StoredObjectMissing(key, { cause: toError(e) });
      throw this.unreachable(e);
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const res = await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }),
      );
      return { size: res.ContentLength ?? 0 };
    } catch (e) {
      if (!isNoSuchKey(e)) throw this.unreachable(e);
    }
    // A HEAD has no body to tell a missing key from a missing bucket: make sure it is the key, so a
    // misconfigured bucket never calls every upload gone.
    await this.check();
    return null;
  }

  async remove(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
    } catch (e) {
      if (!isNoSuchKey(e)) throw this.unreachable(e);
    }
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
    } catch (e) {
      throw this.unreachable(e);
    }
  }

  async localCopy(key: string): Promise<LocalCopy> {
    const body = await this.read(key);
    const dir = await mkdtemp(path.join(tmpdir(), 'ledgerport-upload-'));
    const file = path.join(dir, 'upload');
    const release = () => rm(dir, { recursive: true, force: true });
    try {
      await pipeline(body, createWriteStream(file, { mode: 0o600 }));
    } catch (e) {
      await release();
      throw this.unreachable(e);
    }
    return { path: file, release };
  }

  /** Releases the client's sockets. */
  close(): void {
    this.client.destroy();
  }

  private unreachable(e: unknown): StorageUnreachable {
    return new StorageUnreachable(
      `${this.description} did not answer as expected: ${faultOf(e).name ?? toError(e).message}`,
      {
        cause: toError(e),
      },
    );
  }
}
