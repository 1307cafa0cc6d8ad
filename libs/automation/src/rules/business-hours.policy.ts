import { DomainError } from '@wwb/runtime';
import { DateTime, IANAZone } from 'luxon';
import { BusinessHours, TimeRange, WEEKDAYS, Weekday } from './rule.model';

const FROM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const TO = /^(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_RANGES_PER_DAY = 10;
export const MAX_HOLIDAYS = 400;

/** Minutes after midnight; `to < from` crosses midnight into the next day. */
interface Span {
  from: number;
  to: number;
}

export interface BusinessHoursState {
  open: boolean;
  holiday: boolean;
  /** Local day and time, e.g. "Sat 10:15". */
  local: string;
}

export interface CompiledBusinessHours {
  timeZone: string;
  at(now: Date): BusinessHoursState;
}

const invalidHours = (message: string): DomainError => DomainError.invalid('invalid_business_hours', message);

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function span(day: Weekday, r: TimeRange): Span {
  if (!FROM.test(r.from)) throw invalidHours(`${day}: from "${r.from}" is not a time HH:mm (00:00-23:59)`);
  if (!TO.test(r.to)) throw invalidHours(`${day}: to "${r.to}" is not a time HH:mm (00:00-24:00)`);
  const s = { from: minutes(r.from), to: minutes(r.to) };
  if (s.from === s.to) throw invalidHours(`${day}: the range ${r.from}-${r.to} is empty`);
  return s;
}

/** Validates `zone` as an IANA time zone, else 400 invalid_time_zone. */
export function assertTimeZone(zone: string): void {
  if (!IANAZone.isValidZone(zone)) {
    throw DomainError.invalid('invalid_time_zone', `"${zone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  }
}

/**
 * Weekly hours in an IANA zone, read in local wall time (so correct across DST changes). A range
 * belongs to the day it starts on: mon 22:00-02:00 is open Monday night until 02:00 on Tuesday,
 * and a holiday closes the ranges that start on it. Throws `invalid_time_zone` /
 * `invalid_business_hours`.
 */
export function compileBusinessHours(hours: BusinessHours): CompiledBusinessHours {
  assertTimeZone(hours.timeZone);
  const zone = IANAZone.create(hours.timeZone);
  const week = new Map<Weekday, Span[]>();
  for (const [key, ranges] of Object.entries(hours.weekly ?? {})) {
    const day = key as Weekday;
    if (!WEEKDAYS.includes(day)) throw invalidHours(`"${key}" is not a weekday (${WEEKDAYS.join(', ')})`);
    if (!ranges) continue;
    if (ranges.length > MAX_RANGES_PER_DAY)
      throw invalidHours(`${day}: at most ${MAX_RANGES_PER_DAY} ranges`);
    week.set(
      day,
      ranges.map((r) => span(day, r)),
    );
  }
  const holidays = new Set<string>();
  for (const d of hours.holidays ?? []) {
    if (!DAY.test(d) || !DateTime.fromISO(d, { zone: 'UTC' }).isValid) {
      throw invalidHours(`holiday "${d}" is not a date YYYY-MM-DD`);
    }
    holidays.add(d);
  }
  if (holidays.size > MAX_HOLIDAYS) throw invalidHours(`at most ${MAX_HOLIDAYS} holidays`);

  return {
    timeZone: hours.timeZone,
    at(now: Date): BusinessHoursState {
      const local = localMinute(zone, now);
      const holiday = holidays.has(local.date);
      let open = false;
      if (!holiday) {
        open = (week.get(WEEKDAYS[local.weekday - 1]!) ?? []).some((s) =>
          s.from < s.to ? local.minute >= s.from && local.minute < s.to : local.minute >= s.from,
        );
      }
      if (!open && !holidays.has(local.yesterday)) {
        const before = WEEKDAYS[(local.weekday + 5) % 7]!;
        open = (week.get(before) ?? []).some((s) => s.from > s.to && local.minute < s.to);
      }
      return { open, holiday, local: local.label };
    },
  };
}

/** Wall-clock facts of one minute in one zone. */
interface LocalMinute {
  /** UTC minute it was computed for. */
  key: number;
  /** 1 = Monday ... 7 = Sunday. */
  weekday: number;
  minute: number;
  date: string;
  yesterday: string;
  label: string;
}

/**
 * The last minute computed per zone: every rule reading the same zone for the same message (or
 * messages of the same minute) shares one luxon conversion, which costs far more than the check.
 * Offsets of current zones are whole minutes, so the UTC minute decides the local one.
 */
const localMinutes = new Map<string, LocalMinute>();
const DAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pad = (n: number): string => String(n).padStart(2, '0');
const isoDay = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;

function localMinute(zone: IANAZone, now: Date): LocalMinute {
  const key = Math.floor(now.getTime() / 60_000);
  const cached = localMinutes.get(zone.name);
  if (cached && cached.key === key) return cached;
  // one conversion; the rest is arithmetic (luxon's formatting and date maths cost ~10x more)
  const local = DateTime.fromJSDate(now, { zone });
  const value: LocalMinute = {
    key,
    weekday: local.weekday,
    minute: local.hour * 60 + local.minute,
    date: isoDay(local.year, local.month, local.day),
    yesterday: new Date(Date.UTC(local.year, local.month - 1, local.day - 1)).toISOString().slice(0, 10),
    label: `${DAY_LABELS[local.weekday - 1]!} ${pad(local.hour)}:${pad(local.minute)}`,
  };
  localMinutes.set(zone.name, value);
  return value;
}

/** "inside business hours (Europe/Berlin, Sat 10:15)" */
export function describeBusinessHours(timeZone: string, state: BusinessHoursState): string {
  return `${state.open ? 'inside' : 'outside'} business hours (${timeZone}, ${state.local}${state.holiday ? ', holiday' : ''})`;
}
