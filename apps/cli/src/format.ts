// Numbers as a billing office reads them: thousands separators, dollars, "about 2 min".

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatRows(n: number): string {
  return `${formatCount(n)} row${n === 1 ? '' : 's'}`;
}

export function formatRate(rowsPerSecond: number): string {
  return `${formatCount(rowsPerSecond)} rows/s`;
}

/** 7 → "7 s", 125 → "2 min 5 s", 3720 → "1 h 2 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
  }
  const minutes = Math.floor((s % 3600) / 60);
  return minutes ? `${Math.floor(s / 3600)} h ${minutes} min` : `${s / 3600} h`;
}

export function formatMoney(cents: number): string {
  const abs = Math.abs(cents);
  const text = `$${formatCount(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
  return cents < 0 ? `-${text}` : text;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
