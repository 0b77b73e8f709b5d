import { randomUUID } from 'node:crypto';
import { createWriteStream, constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageUnreachable, StorageWriteError, StoredObjectMissing, errnoCode, toError } from './errors.js';
import type { LocalCopy, UploadStore } from './upload-store.js';

/** Uploads hold patient data: readable by the service's own user only. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Some file systems cannot sync a folder (EINVAL); there the file's own sync is what there is. */
const CANNOT_SYNC_FOLDER = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP']);

async function syncFolder(folder: string): Promise<void> {
  const fh = await open(folder, 'r');
  try {
    await fh.sync().catch((e: unknown) => {
      if (!CANNOT_SYNC_FOLDER.has(errnoCode(e) ?? '')) throw e;
    });
  } finally {
    await fh.close();
  }
}

/**
 * A folder (UPLOAD_DIR), shared by every process of the deployment: files 0600 in 0700 folders, written
 * under tmp/ and renamed into place once whole.
 */
export class LocalUploadStore implements UploadStore {
  readonly root: string;
  readonly description: string;

  constructor(dir: string) {
    this.root = path.resolve(dir);
    this.description = `local folder ${this.root}`;
  }

  /** The file of a key, which must stay inside the folder whatever the key says. */
  pathOf(key: string): string {
    const file = path.resolve(this.root, key);
    if (!file.startsWith(this.root + path.sep)) throw new Error(`storage key outside UPLOAD_DIR: ${key}`);
    return file;
  }

  async put(key: string, body: Readable): Promise<void> {
    const dest = this.pathOf(key);
    const tmpDir = path.join(this.root, 'tmp');
    const tmpPath = path.join(tmpDir, randomUUID());
    let storeFailed = false;
    try {
      try {
        await mkdir(tmpDir, { recursive: true, mode: DIR_MODE });
      } catch (e) {
        storeFailed = true;
        throw e;
      }
      // `flush`: the file is on disk before the upload is answered, not only in the page cache; a
      // machine that loses power a minute after "uploaded" must not lose the file (85 MB: ~40 ms).
      const out = createWriteStream(tmpPath, { mode: FILE_MODE, flush: true });
      out.once('error', () => (storeFailed = true));
      await pipeline(body, out);
      let renamed = false;
      try {
        const folder = path.dirname(dest);
        const made = await mkdir(folder, { recursive: true, mode: DIR_MODE });
        await rename(tmpPath, dest);
        renamed = true;
        // The rename, and every folder made for this file, are entries in folders: on disk too. A
        // folder that was already there is already on disk, so the syncs stop at the first one made.
        const top = made ? path.dirname(made) : folder;
        for (let d = folder; ; d = path.dirname(d)) {
          await syncFolder(d);
          if (d === top || d === this.root) break;
        }
      } catch (e) {
        storeFailed = true;
        // A refused upload leaves no file behind, even one already in its place.
        if (renamed) await rm(dest, { force: true }).catch(() => undefined);
        throw e;
      }
    } catch (e) {
      await rm(tmpPath, { force: true }).catch(() => undefined);
      if (!storeFailed) throw e;
      const code = errnoCode(e);
      throw new StorageWriteError(
        code && FULL_CODES.has(code) ? 'full' : 'unavailable',
        `could not write ${key} under UPLOAD_DIR (${this.root}): ${code ?? toError(e).message}`,
        { cause: toError(e) },
      );
    }
  }

  async read(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    const fh = await open(this.pathOf(key), 'r').catch((e: unknown) => this.missingOr(key, e));
    return fh.createReadStream({ start: range?.start ?? 0, end: range?.end, highWaterMark: 256 * 1024 });
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(key))).size };
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw toError(e);
    }
    await this.assertReachable();
    return null;
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: DIR_MODE });
    await access(this.root, constants.W_OK);
  }

  async localCopy(key: string): Promise<LocalCopy> {
    const file = this.pathOf(key);
    await access(file).catch((e: unknown) => this.missingOr(key, e));
    return { path: file, release: () => Promise.resolve() };
  }

  close(): void {
    // nothing held open
  }

  /**
   * A file missing from a folder that is there is gone; the folder missing altogether is this
   * process's problem (the shared folder not mounted here), not the file's, and worth a retry.
   */
  private async missingOr(key: string, e: unknown): Promise<never> {
    if (errnoCode(e) !== 'ENOENT') throw toError(e);
    await this.assertReachable();
    throw new StoredObjectMissing(key, { cause: toError(e) });
  }

  private async assertReachable(): Promise<void> {
    try {
      await stat(this.root);
    } catch (e) {
      throw new StorageUnreachable(
        `UPLOAD_DIR (${this.root}) is not reachable from this process; mount the shared upload directory`,
        { cause: toError(e) },
      );
    }
  }
}
