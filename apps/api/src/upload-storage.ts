import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

export interface StoredUpload {
  tmpPath: string;
  size: number;
  sha256: string;
}

/**
 * A multer storage engine that streams the upload to disk while hashing it: the API never holds a
 * file in memory, whatever its size.
 */
export function hashingDiskStorage(uploadDir: string): StorageEngine {
  const tmpDir = path.join(uploadDir, 'tmp');
  return {
    _handleFile(_req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File & StoredUpload>) => void) {
      const tmpPath = path.join(tmpDir, randomUUID());
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, next) {
          size += chunk.length;
          hash.update(chunk);
          next(null, chunk);
        },
      });
      mkdir(tmpDir, { recursive: true })
        .then(() => pipeline(file.stream, tap, createWriteStream(tmpPath)))
        .then(
          () => cb(null, { tmpPath, size, sha256: hash.digest('hex') }),
          (err: unknown) => {
            void rm(tmpPath, { force: true });
            cb(err);
          },
        );
    },
    _removeFile(_req: Request, file: Express.Multer.File & Partial<StoredUpload>, cb: (error: Error | null) => void) {
      if (!file.tmpPath) return cb(null);
      rm(file.tmpPath, { force: true }).then(() => cb(null), cb);
    },
  };
}

/** Moves a received upload to its permanent key under the upload directory. */
export async function keepUpload(uploadDir: string, tmpPath: string, key: string): Promise<void> {
  const dest = path.join(uploadDir, key);
  await mkdir(path.dirname(dest), { recursive: true });
  await rename(tmpPath, dest);
}

export async function discardUpload(tmpPath: string | undefined): Promise<void> {
  if (tmpPath) await rm(tmpPath, { force: true });
}
