// What the API sends, as the page reads it: the types live in packages/api-client, shared with the
// CLI and checked by the API itself.
import type { ImportStatus, ServerConfig } from '@ledgerport/api-client';

export type ServerConfigShape = ServerConfig;

export type {
  ApiTokenInfo,
  PracticeUser,
  UserWithLink,
  ClaimToResolve,
  FileHeader,
  FileNotice,
  FormatInfo,
  ImportStatus,
  ImportSummary,
  ImportView,
  KindColumn,
  KindInfo,
  Location,
  Me,
  Notification,
  Page,
  Preview,
  Reconciliation,
  Review,
  RowError,
  RowErrorGroup,
  Severity,
} from '@ledgerport/api-client';

export const ACTIVE: readonly ImportStatus[] = ['queued', 'running'];
