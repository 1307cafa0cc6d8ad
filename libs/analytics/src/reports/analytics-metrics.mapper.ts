import { HourCounters } from '../counters/analytics-counters.schema';

/** The figures of a day or a range, as the API shows them. */
export interface AnalyticsMetrics {
  targeted: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  received: number;
  replied: number;
  optedOut: number;
  skipped: Record<string, number>;
}

export interface AnalyticsRates {
  /** delivered / sent, read / sent, replied / sent, optedOut / sent (null when nothing was sent). */
  delivery: number | null;
  read: number | null;
  reply: number | null;
  optOut: number | null;
}

export const emptyMetrics = (): AnalyticsMetrics => ({
  targeted: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  received: 0,
  replied: 0,
  optedOut: 0,
  skipped: {},
});

/** Adds an hour's counters to `into`. */
export function addHour(into: AnalyticsMetrics, h: HourCounters): void {
  into.targeted += h.targeted ?? 0;
  into.sent += h.sent ?? 0;
  into.delivered += h.delivered ?? 0;
  into.read += h.read ?? 0;
  into.failed += h.failed ?? 0;
  into.received += h.received ?? 0;
  into.replied += h.replied ?? 0;
  into.optedOut += h.opted_out ?? 0;
  for (const [reason, n] of Object.entries(h.skipped ?? {}))
    into.skipped[reason] = (into.skipped[reason] ?? 0) + n;
}

export function addMetrics(into: AnalyticsMetrics, m: AnalyticsMetrics): void {
  addHour(into, { ...m, opted_out: m.optedOut });
}

const rate = (n: number, of: number): number | null =>
  of === 0 ? null : Math.round((n / of) * 10_000) / 10_000;

export const ratesOf = (m: AnalyticsMetrics): AnalyticsRates => ({
  delivery: rate(m.delivered, m.sent),
  read: rate(m.read, m.sent),
  reply: rate(m.replied, m.sent),
  optOut: rate(m.optedOut, m.sent),
});

const FIXED = ['targeted', 'sent', 'delivered', 'read', 'failed', 'received', 'replied', 'optedOut'] as const;
const SNAKE: Record<(typeof FIXED)[number], string> = {
  targeted: 'targeted',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  received: 'received',
  replied: 'replied',
  optedOut: 'opted_out',
};

/** CSV of daily figures: `date`, the fixed columns, then `skipped_<reason>` for each reason seen. */
export function metricsCsv(days: { date: string; metrics: AnalyticsMetrics }[]): string {
  const reasons = [...new Set(days.flatMap((d) => Object.keys(d.metrics.skipped)))].sort();
  const header = ['date', ...FIXED.map((f) => SNAKE[f]), ...reasons.map((r) => `skipped_${r}`)];
  const rows = days.map((d) => [
    d.date,
    ...FIXED.map((f) => String(d.metrics[f])),
    ...reasons.map((r) => String(d.metrics.skipped[r] ?? 0)),
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
