let last = 0;

/**
 * Swift's normalized timestamp: seconds since the epoch with five decimals, zero-padded to 16
 * characters (`1700000000.12345`). Timestamps made here never repeat within the process.
 */
export function newTimestamp(): string {
  let now = Math.round(Date.now() * 100) / 100_000;
  if (now <= last) now = Math.round((last + 0.00001) * 100_000) / 100_000;
  last = now;
  return normalizeTimestamp(now);
}

export function normalizeTimestamp(value: number | string): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`invalid timestamp: ${value}`);
  return n.toFixed(5).padStart(16, '0');
}

/** Parses an `X-Timestamp`-style header; undefined when absent or malformed. */
export function parseTimestamp(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.split('_')[0] ?? '')) return undefined;
  return normalizeTimestamp(value.split('_')[0]!);
}

/** The HTTP date of a timestamp, rounded up to the second as upstream's Last-Modified. */
export function httpDate(timestamp: string): string {
  return new Date(Math.ceil(Number(timestamp)) * 1000).toUTCString();
}

/** ISO form used in listings (`2024-01-02T03:04:05.123450`). */
export function isoDate(timestamp: string): string {
  const n = Number(timestamp);
  const whole = Math.floor(n);
  const micro = Math.round((n - whole) * 1e6)
    .toString()
    .padStart(6, '0');
  return `${new Date(whole * 1000).toISOString().slice(0, 19)}.${micro}`;
}
