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
export { watchImport, WatchLost, type WatchOptions } from './watch.js';
export { EXIT } from './context.js';
export { runCli } from './run.js';
