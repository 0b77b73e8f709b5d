import type { Readable } from 'node:stream';

/** A stored object's bytes as a file on this machine, for readers that need random access (a zip). */
export interface LocalCopy {
  path: string;
  /** Removes the copy when it was made for the caller (a no-op for the local store's own file). */
  release(): Promise<void>;
}

/**
 * Where uploads are kept: every API and worker process of one deployment uses the same store, and only
 * through this. Keys are `<practice id>/<import id>`. Bytes stream both ways; nothing holds a file whole.
 */
export interface UploadStore {
  /** for logs and the operator: "local folder /srv/uploads", "S3 bucket uploads at http://minio:9000" */
  readonly description: string;
  /**
   * Streams `body` into the store under `key`; the object appears whole or not at all. A failure of
   * the store is a StorageWriteError; a failure of `body` itself (the client went away) is passed on
   * as it was.
   */
  put(key: string, body: Readable): Promise<void>;
  /** The stored bytes, from `start` to `end` inclusive when given; StoredObjectMissing when absent. */
  read(key: string, range?: { start: number; end?: number }): Promise<Readable>;
  /** Its size, or null when no object is stored under the key; StorageUnreachable when the store is. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Deletes the object; one already gone is no error. */
  remove(key: string): Promise<void>;
  /** Resolves when the store answers and can be written (readiness), rejects otherwise. */
  check(): Promise<void>;
  /** The object as a local file (see LocalCopy); StoredObjectMissing when absent. */
  localCopy(key: string): Promise<LocalCopy>;
  /** Lets go of connections (at shutdown). */
  close(): void;
}
