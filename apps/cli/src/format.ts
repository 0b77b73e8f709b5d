// One place formats numbers, money, sizes and dates for the page and the CLI alike.
export {
  formatBytes,
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatPercent,
  formatRate,
  formatRows,
  kindLabel,
  logStamp,
  plural,
} from '@ledgerport/api-client';
