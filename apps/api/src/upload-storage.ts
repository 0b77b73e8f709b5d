import { createHash, randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { AppError, coerceError } from '@ledgerport/core';
import { StorageWriteError, type UploadStore } from '@ledgerport/storage';
import { principalOf } from './auth.js';

/** What the storage engine tells the route about a received file, beside multer's own fields. */
export interface StoredUpload {
  /** the id its import will have: the file is stored under it before the import exists */
  importId: string;
  storageKey: string;
  size: number;
  sha256: string;
}

/** The store's disk or quota is full: nothing was stored. */
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

/** The store cannot be written (a folder missing or read-only, a bucket unreachable): nothing was stored. */
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

/** What a failure of the store means for the person uploading; the cause keeps the detail. */
export function storageFailure(e: StorageWriteError): AppError {
  return e.reason === 'full' ? new StorageFullError({ cause: e }) : new StorageUnavailableError({ cause: e });
}

/**
 * A multer storage engine that streams the upload into the store while hashing it: the API never
 * holds a file in memory, whatever its size or store. The file is stored under the key of the import
 * it will become (`<practice>/<import id>`), so accepting it moves nothing. A failure of the store is
 * a StorageFullError or StorageUnavailableError, with nothing stored; a failure of the upload itself
 * (the client went away) passes through as it was.
 */
export function hashingStorage(store: UploadStore): StorageEngine {
  return {
    _handleFile(
      req: Request,
      file: Express.Multer.File,
      cb: (error?: unknown, info?: Partial<Express.Multer.File & StoredUpload>) => void,
    ) {
      const importId = randomUUID();
      const storageKey = `${principalOf(req).practiceId}/${importId}`;
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, next) {
          size += chunk.length;
          hash.update(chunk);
          next(null, chunk);
        },
      });
      const body = file.stream.pipe(tap);
      // Listened for from now on, since the store may attach to the body only after an await (making
      // its folder): a truncated form (the client went away) fails the store's write with its own error.
      file.stream.once('error', (e) => tap.destroy(e));
      tap.on('error', () => undefined); // reaches us as store.put's rejection
      // The store failing mid-file (a full disk) destroys the body; the form's stream is then drained,
      // never destroyed: multer answers with the first error its stream reports, and a destroyed one
      // made a full disk a 500 (a bare EFBIG/ENOSPC) instead of the store's 507 storage_full.
      tap.once('close', () => {
        file.stream.unpipe(tap);
        file.stream.resume();
      });
      store.put(storageKey, body).then(
        () => cb(null, { importId, storageKey, size, sha256: hash.digest('hex') }),
        (err: unknown) => cb(err instanceof StorageWriteError ? storageFailure(err) : coerceError(err)),
      );
    },
    _removeFile(_req: Request, file: Express.Multer.File & Partial<StoredUpload>, cb: (error: Error | null) => void) {
      if (!file.storageKey) return cb(null);
      store.remove(file.storageKey).then(
        () => cb(null),
        (e: unknown) => cb(coerceError(e)),
      );
    },
  };
}

/** Takes back a stored upload that did not become an import; a failure here only leaves a stray file. */
export async function removeStoredUpload(store: UploadStore, key: string): Promise<void> {
  await store.remove(key).catch(() => undefined);
}
