/** The object (or file) of a key is not in the store: deleted, expired, lost with a disk. */
export class StoredObjectMissing extends Error {
  readonly code = 'stored_object_missing';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`no stored upload under key ${key}`, options);
    this.name = 'StoredObjectMissing';
  }
}

/**
 * The store could not take an upload. `full`: out of room (a full disk or quota); `unavailable`: it
 * cannot be written at all (a folder not writable, a bucket unreachable or refusing us). Nothing of
 * the upload is left under its key either way.
 */
export class StorageWriteError extends Error {
  constructor(
    readonly reason: 'full' | 'unavailable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageWriteError';
  }
}

/** The store itself does not answer (a folder not mounted here, a bucket unreachable): worth a retry. */
export class StorageUnreachable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnreachable';
  }
}

/** Node's fs errors are read by shape: under a test runner they come from another realm. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
