// The CLI talks to the API through the client the page uses too (packages/api-client).
export {
  ApiError,
  ApiUnreachableError,
  createApiClient,
  isTransient,
  type ApiClient,
  type ApiClientOptions,
  type UploadRequest,
} from '@ledgerport/api-client';
