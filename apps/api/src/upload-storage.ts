import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { AppError, coerceError } from '@ledgerport/core';

export interface StoredUpload {
  tmpPath: string;
  size: number;
  sha256: string;
}

/** UPLOAD_DIR's disk or quota is full: nothing was stored. */
export class StorageFullError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super(
      'storage_full',
      'The server has no room to store this file right now, so it was not uploaded and nothing was created. Please try again later, and let your administrator know.',
      507,
      options,
    );
  }
}

/** UPLOAD_DIR cannot be written (missing, read-only, wrong owner): nothing was stored. */
export class StorageUnavailableError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super(
      'storage_unavailable',
      'The server cannot store uploaded files right now, so this file was not uploaded and nothing was created. Please try again later, and let your administrator know.',
      503,
      options,
    );
  }
}

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Uploads hold patient data: readable by the service's own user only. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** What a failure to write under UPLOAD_DIR means for the person uploading; the cause keeps the detail. */
export function storageFailure(e: unknown): AppError {
  const err = coerceError(e);
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && FULL_CODES.has(code)
    ? new StorageFullError({ cause: err })
    : new StorageUnavailableError({ cause: err });
}

/**
 * A multer storage engine that streams the upload to disk while hashing it: the API never holds a
 * file in memory, whatever its size. A write that fails (disk full, directory not writable) is a
 * StorageFullError or StorageUnavailableError, and its partial file is removed; a failure of the
 * upload itself (the client went away) passes through as it was.
 */
export function hashingDiskStorage(uploadDir: string): StorageEngine {
  const tmpDir = path.join(uploadDir, 'tmp');
  return {
    _handleFile(_req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File & StoredUpload>) => void) {
      const tmpPath = path.join(tmpDir, randomUUID());
      const hash = createHash('sha256');
      let size = 0;
      let writeFailed = false;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, next) {
          size += chunk.length;
          hash.update(chunk);
          next(null, chunk);
        },
      });
      mkdir(tmpDir, { recursive: true, mode: DIR_MODE })
        .catch((err: unknown) => {
          writeFailed = true;
          throw err;
        })
        .then(() => {
          const out = createWriteStream(tmpPath, { mode: FILE_MODE });
          out.once('error', () => (writeFailed = true));
          return pipeline(file.stream, tap, out);
        })
        .then(
          () => cb(null, { tmpPath, size, sha256: hash.digest('hex') }),
          (err: unknown) => {
            void rm(tmpPath, { force: true }).catch(() => undefined);
            cb(writeFailed ? storageFailure(err) : err);
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
  try {
    await mkdir(path.dirname(dest), { recursive: true, mode: DIR_MODE });
    await rename(tmpPath, dest);
  } catch (e) {
    throw storageFailure(e);
  }
}

/** Takes back a kept upload whose import could not be created. */
export async function removeStoredUpload(uploadDir: string, key: string): Promise<void> {
  await rm(path.join(uploadDir, key), { force: true }).catch(() => undefined);
}

export async function discardUpload(tmpPath: string | undefined): Promise<void> {
  if (tmpPath) await rm(tmpPath, { force: true });
}
