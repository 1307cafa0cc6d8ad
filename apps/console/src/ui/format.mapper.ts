/**
 * Numbers and times as the viewer reads them: their locale, and their time zone (the browser's,
 * unless one is given, which the tests do).
 */
export function formatDateTime(iso: string, options: { locale?: string; timeZone?: string } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(options.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  }).format(date);
}

/** The viewer's time zone, shown next to times so that nobody wonders which clock they follow. */
export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatCount(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Binary multiples, as the plan limits are set (1 GB here is 1024³ bytes). */
export function formatBytes(bytes: number, locale?: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  return `${number} ${UNITS[unit]}`;
}

/** Share of a limit in use, 0..1 (null when there is no limit). */
export function shareOf(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit <= 0) return used > 0 ? 1 : 0;
  return Math.min(1, used / limit);
}
