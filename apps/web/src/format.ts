// Formatting is one place for the page and the CLI: packages/api-client.
import { formatDateTime } from '@ledgerport/api-client';

export {
  downloadName,
  formatBytes,
  formatBytesOf,
  formatCount,
  formatDate,
  formatDuration,
  formatFlag,
  formatMoney,
  formatPercent,
  formatRows,
  humanize,
  plural,
} from '@ledgerport/api-client';

/** A moment in this browser's time: "today 9:05 AM", otherwise "11/02/2026 9:05 AM". */
export function formatWhen(iso: string | null | undefined, now = new Date()): string {
  return formatDateTime(iso, { now });
}
