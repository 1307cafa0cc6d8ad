import { viewerTimeZone } from '../ui/format.mapper';

/**
 * The business-hours editor's form and its mapping to and from the API's hours (libs/automation
 * rule-vocabulary.schema.ts BUSINESS_HOURS_SCHEMA, read by business-hours.policy.ts): an IANA
 * zone, per weekday up to MAX_RANGES_PER_DAY ranges of wall time, and holidays.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
export const MAX_RANGES_PER_DAY = 10;
export const MAX_HOLIDAYS = 400;

/** One open range as two time inputs ("HH:mm"; '' while not chosen). */
export interface HoursRange {
  from: string;
  to: string;
}

export interface HoursDraft {
  timeZone: string;
  weekly: Record<Weekday, HoursRange[]>;
  /** "YYYY-MM-DD" as date inputs give them ('' while not chosen). */
  holidays: string[];
}

const emptyWeek = (): Record<Weekday, HoursRange[]> =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as Record<Weekday, HoursRange[]>;

/** Monday to Friday, 09:00-17:00, in `zone` (the viewer's, unless told). */
export function defaultHours(zone: string = viewerTimeZone()): HoursDraft {
  const weekly = emptyWeek();
  for (const d of WEEKDAYS.slice(0, 5)) weekly[d] = [{ from: '09:00', to: '17:00' }];
  return { timeZone: zone, weekly, holidays: [] };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The API's hours as the form shows them. A time input cannot hold 24:00: the end of the day is
 * shown as 00:00, which means the same thing as an end (see hoursToApi).
 */
export function hoursToForm(hours: unknown): HoursDraft {
  const h = (typeof hours === 'object' && hours !== null ? hours : {}) as Record<string, unknown>;
  const weekly = emptyWeek();
  const days = (typeof h.weekly === 'object' && h.weekly !== null ? h.weekly : {}) as Record<string, unknown>;
  for (const d of WEEKDAYS) {
    const ranges = Array.isArray(days[d]) ? (days[d] as Record<string, unknown>[]) : [];
    weekly[d] = ranges.map((r) => ({
      from: text(r?.from),
      to: text(r?.to) === '24:00' ? '00:00' : text(r?.to),
    }));
  }
  const holidays = Array.isArray(h.holidays) ? h.holidays.map(text) : [];
  return { timeZone: text(h.timeZone) || viewerTimeZone(), weekly, holidays };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The API's hours, or what the form itself finds wrong (in words, naming the day). Days without
 * ranges are left out (closed). An end of 00:00 is sent as 24:00: "until midnight", so that
 * 00:00-00:00 is the whole day rather than an empty range.
 */
export function hoursToApi(
  form: HoursDraft,
): { ok: true; hours: Record<string, unknown> } | { ok: false; error: string } {
  const weekly: Record<string, HoursRange[]> = {};
  for (const d of WEEKDAYS) {
    const ranges: HoursRange[] = [];
    for (const [i, r] of form.weekly[d].entries()) {
      const [from, to] = [r.from.slice(0, 5), r.to.slice(0, 5)];
      const which = form.weekly[d].length > 1 ? ` (hours ${i + 1})` : '';
      if (!TIME.test(from) || !TIME.test(to)) {
        return { ok: false, error: `${DAY_NAMES[d]}${which}: choose both a start and an end time.` };
      }
      if (from === to && to !== '00:00') {
        return { ok: false, error: `${DAY_NAMES[d]}${which}: ${from} to ${to} is no time at all.` };
      }
      ranges.push({ from, to: to === '00:00' ? '24:00' : to });
    }
    if (ranges.length) weekly[d] = ranges;
  }
  const holidays = form.holidays.map((h) => h.trim());
  const blank = holidays.findIndex((h) => !DATE.test(h));
  if (blank >= 0) return { ok: false, error: `Holiday ${blank + 1}: choose a date.` };
  return {
    ok: true,
    hours: {
      timeZone: form.timeZone,
      weekly,
      ...(holidays.length ? { holidays: [...new Set(holidays)].sort() } : {}),
    },
  };
}

/** How a range reads when it is not plain same-day hours: it runs to midnight, or past it. */
export function rangeNote(day: Weekday, range: HoursRange): string | null {
  const [from, to] = [range.from.slice(0, 5), range.to.slice(0, 5)];
  if (!TIME.test(from) || !TIME.test(to)) return null;
  if (to === '00:00') return from === '00:00' ? 'All day' : 'Until midnight';
  if (to >= from) return null;
  const next = WEEKDAYS[(WEEKDAYS.indexOf(day) + 1) % 7]!;
  return `Past midnight: until ${to} on ${DAY_NAMES[next]}`;
}

/** The form with `day`'s ranges changed by `change` (pure: the other days are shared). */
export function withDay(
  form: HoursDraft,
  day: Weekday,
  change: (ranges: HoursRange[]) => HoursRange[],
): HoursDraft {
  return { ...form, weekly: { ...form.weekly, [day]: change(form.weekly[day]) } };
}

/** A range to add to `day`: a second one is left to fill in; a first takes the hours other days have. */
export function nextRange(form: HoursDraft, day: Weekday): HoursRange {
  if (form.weekly[day].length) return { from: '', to: '' };
  const typical = WEEKDAYS.map((d) => form.weekly[d][0]).find(Boolean);
  return typical ? { ...typical } : { from: '09:00', to: '17:00' };
}

/** Monday's hours copied to Tuesday to Friday. */
export function copyMondayToWeekdays(form: HoursDraft): HoursDraft {
  const weekly = { ...form.weekly };
  for (const d of WEEKDAYS.slice(1, 5)) weekly[d] = form.weekly.mon.map((r) => ({ ...r }));
  return { ...form, weekly };
}

/** The IANA zones to pick from, with `current` among them even if this browser lacks it. */
export function timeZoneOptions(current: string): string[] {
  const known: string[] =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', current])].filter(Boolean).sort();
}
