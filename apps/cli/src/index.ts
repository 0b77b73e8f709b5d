// For scripts that would rather call Ledgerport from Node than spawn the command.
export {
  ApiError,
  ApiUnreachableError,
  createApiClient,
  type ApiClient,
  type ApiClientOptions,
  type UploadRequest,
} from './api-client.js';
export { isSettled, isSuccess, type ImportStatus, type ImportView } from './import-view.js';
export { watchImport, type WatchOptions } from './watch.js';
export { runCli } from './run.js';
