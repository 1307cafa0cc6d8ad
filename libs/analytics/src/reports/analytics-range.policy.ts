import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '@wwb/runtime';

/** Longest range one request reads (one small table per UTC day). */
export const MAX_RANGE_DAYS = 366;
/** Days shown when `from` is not given: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;

export interface RangeInput {
  from?: string;
  to?: string;
  timeZone?: string;
}

/** Whole local days in a zone: `dates` from `from` to `to`, covering [startMs, endMs). */
export interface AnalyticsRange {
  from: string;
  to: string;
  timeZone: string;
  dates: string[];
  startMs: number;
  endMs: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayOf(field: 'from' | 'to', value: string, zone: string): DateTime {
  const day = DATE.test(value) ? DateTime.fromISO(value, { zone }) : undefined;
  if (!day?.isValid) {
    throw DomainError.invalid(
      'invalid_date',
      `${field} must be a date as YYYY-MM-DD (got "${value.slice(0, 40)}")`,
    );
  }
  return day.startOf('day');
}

/**
 * The days of an analytics request, in the caller's zone (default UTC): `to` defaults to today,
 * `from` to 29 days before `to`. Throws 400 `invalid_time_zone`, `invalid_date`, `invalid_range`
 * (from after to), `range_too_long` (more than MAX_RANGE_DAYS days).
 */
export function analyticsRangeOf(input: RangeInput, nowMs: number): AnalyticsRange {
  const zone = input.timeZone ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) {
    throw DomainError.invalid(
      'invalid_time_zone',
      `"${zone.slice(0, 60)}" is not an IANA time zone (e.g. Europe/Berlin)`,
    );
  }
  const to = input.to ? dayOf('to', input.to, zone) : DateTime.fromMillis(nowMs, { zone }).startOf('day');
  const from = input.from ? dayOf('from', input.from, zone) : to.minus({ days: DEFAULT_RANGE_DAYS - 1 });
  if (from > to) throw DomainError.invalid('invalid_range', 'from must not be after to');
  const dates: string[] = [];
  for (let d = from; d <= to; d = d.plus({ days: 1 })) {
    dates.push(d.toISODate()!);
    if (dates.length > MAX_RANGE_DAYS) {
      throw DomainError.invalid('range_too_long', `A range covers at most ${MAX_RANGE_DAYS} days`);
    }
  }
  return {
    from: from.toISODate()!,
    to: to.toISODate()!,
    timeZone: zone,
    dates,
    startMs: from.toMillis(),
    endMs: to.plus({ days: 1 }).toMillis(),
  };
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export const localDateOf = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toISODate()!;
