export type { LocalCopy, UploadStore } from './upload-store.js';
export { StorageUnreachable, StorageWriteError, StoredObjectMissing } from './errors.js';
export { LocalUploadStore } from './local-store.js';
export { S3UploadStore, type S3StoreOptions } from './s3-store.js';
export {
  checkStorageEnv,
  createUploadStore,
  storageConfigOf,
  storageEnv,
  type StorageConfig,
  type StorageEnv,
} from './storage-config.js';
