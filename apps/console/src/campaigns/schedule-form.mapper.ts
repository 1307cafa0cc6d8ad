import type { ScheduleBody } from './campaign.dto';

/**
 * The schedule builder's state and its translation to and from the API's `schedule`. Daily,
 * weekly and monthly are RRULEs the builder writes; `cron` and `rrule` take the text as typed,
 * for what the builder cannot say.
 */
export const SCHEDULE_MODES = ['once', 'daily', 'weekly', 'monthly', 'cron', 'rrule'] as const;
export type ScheduleMode = (typeof SCHEDULE_MODES)[number];

export const MODE_LABELS: Readonly<Record<ScheduleMode, string>> = {
  once: 'Once',
  daily: 'Every day',
  weekly: 'Every week',
  monthly: 'Every month',
  cron: 'Cron expression',
  rrule: 'Custom RRULE',
};

/** RRULE weekday codes, Monday first as people read a week. */
export const WEEKDAYS = [
  { code: 'MO', label: 'Monday' },
  { code: 'TU', label: 'Tuesday' },
  { code: 'WE', label: 'Wednesday' },
  { code: 'TH', label: 'Thursday' },
  { code: 'FR', label: 'Friday' },
  { code: 'SA', label: 'Saturday' },
  { code: 'SU', label: 'Sunday' },
] as const;

export interface ScheduleForm {
  mode: ScheduleMode;
  timeZone: string;
  /** once: "YYYY-MM-DDTHH:mm", wall time in timeZone. */
  at: string;
  /** daily, weekly, monthly: "HH:mm". */
  time: string;
  weekdays: string[];
  /** monthly: "1".."31", or "-1" for the last day. */
  monthDay: string;
  /** Every this many days, weeks or months. */
  interval: string;
  expression: string;
  rule: string;
  /** Recurring: "YYYY-MM-DD" in timeZone, or '' for none. */
  startDate: string;
  endDate: string;
  recipientLocalTime: boolean;
  misfire: 'run_once' | 'skip';
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "YYYY-MM-DDTHH:mm" of `instant` on a clock in `zone`. */
export function wallIn(instant: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A new campaign's schedule: weekly on Monday at 09:00 in the viewer's zone. */
export function defaultScheduleForm(timeZone: string, now: Date): ScheduleForm {
  const tomorrow = new Date(now.getTime() + 24 * 3_600_000);
  return {
    mode: 'weekly',
    timeZone,
    at: `${wallIn(tomorrow, timeZone).slice(0, 10)}T09:00`,
    time: '09:00',
    weekdays: ['MO'],
    monthDay: '1',
    interval: '1',
    expression: '0 9 * * MON',
    rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
    startDate: '',
    endDate: '',
    recipientLocalTime: false,
    misfire: 'run_once',
  };
}

/** The RRULE the builder's daily, weekly and monthly modes stand for. */
export function builtRule(form: ScheduleForm): string {
  const freq = form.mode === 'daily' ? 'DAILY' : form.mode === 'weekly' ? 'WEEKLY' : 'MONTHLY';
  const parts = [`FREQ=${freq}`];
  const interval = form.interval.trim();
  if (interval !== '' && interval !== '1') parts.push(`INTERVAL=${interval}`);
  if (form.mode === 'weekly' && form.weekdays.length) {
    const order = WEEKDAYS.map((d) => d.code as string);
    parts.push(`BYDAY=${[...form.weekdays].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(',')}`);
  }
  if (form.mode === 'monthly') parts.push(`BYMONTHDAY=${form.monthDay.trim()}`);
  const [hour, minute] = form.time.split(':');
  parts.push(`BYHOUR=${Number(hour ?? 0)}`, `BYMINUTE=${Number(minute ?? 0)}`);
  return parts.join(';');
}

/** The schedule as the API takes it (POST /v1/campaigns, the schedule preview). */
export function scheduleBody(form: ScheduleForm): ScheduleBody {
  const base = {
    timeZone: form.timeZone,
    misfire: form.misfire,
    recipientLocalTime: form.recipientLocalTime,
  };
  if (form.mode === 'once') return { type: 'once', at: form.at, ...base };
  const range = {
    ...(form.startDate ? { startAt: `${form.startDate}T00:00` } : {}),
    endAt: form.endDate ? `${form.endDate}T23:59` : null,
  };
  if (form.mode === 'cron') return { type: 'cron', expression: form.expression, ...base, ...range };
  const rule = form.mode === 'rrule' ? form.rule : builtRule(form);
  return { type: 'rrule', rule, ...base, ...range };
}

const BUILDER_KEYS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYHOUR', 'BYMINUTE']);
const WEEKDAY_CODES = new Set<string>(WEEKDAYS.map((d) => d.code));

/**
 * The builder's fields for a stored RRULE, when the builder can say it; null otherwise. A rule
 * with an INTERVAL stays as text: its weeks count from its DTSTART, which the builder would drop.
 */
export function builderOf(rule: string): Partial<ScheduleForm> | null {
  const line = rule
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.toUpperCase().startsWith('RRULE:') || !l.includes(':'));
  if (!line) return null;
  const parts = new Map<string, string>();
  for (const part of line.replace(/^RRULE:/i, '').split(';')) {
    const [key, value] = part.split('=');
    if (!key || value === undefined || !BUILDER_KEYS.has(key.toUpperCase())) return null;
    parts.set(key.toUpperCase(), value.toUpperCase());
  }
  const hour = parts.get('BYHOUR') ?? '';
  const minute = parts.get('BYMINUTE') ?? '0';
  if (!/^\d{1,2}$/.test(hour) || !/^\d{1,2}$/.test(minute) || parts.has('INTERVAL')) return null;
  const time = `${pad(Number(hour))}:${pad(Number(minute))}`;
  const byDay = parts.get('BYDAY');
  const byMonthDay = parts.get('BYMONTHDAY');
  switch (parts.get('FREQ')) {
    case 'DAILY':
      return byDay || byMonthDay ? null : { mode: 'daily', time };
    case 'WEEKLY': {
      const days = byDay?.split(',') ?? [];
      if (byMonthDay || !days.length || !days.every((d) => WEEKDAY_CODES.has(d))) return null;
      return { mode: 'weekly', time, weekdays: days };
    }
    case 'MONTHLY':
      return byDay || !byMonthDay || !/^-?\d{1,2}$/.test(byMonthDay)
        ? null
        : { mode: 'monthly', time, monthDay: byMonthDay };
    default:
      return null;
  }
}

/** The builder's state for a stored schedule (what GET /v1/campaigns/{id} answers). */
export function scheduleForm(spec: ScheduleBody, now: Date): ScheduleForm {
  const form: ScheduleForm = {
    ...defaultScheduleForm(spec.timeZone, now),
    timeZone: spec.timeZone,
    misfire: spec.misfire,
    recipientLocalTime: spec.recipientLocalTime,
  };
  if (spec.type === 'once') return { ...form, mode: 'once', at: onceWall(spec.at, spec.timeZone) ?? form.at };
  // A start the schedule already passed is "from now" again when it is saved.
  const start = spec.startAt ? new Date(spec.startAt) : null;
  form.startDate = start && start > now ? wallIn(start, spec.timeZone).slice(0, 10) : '';
  form.endDate = spec.endAt ? wallIn(new Date(spec.endAt), spec.timeZone).slice(0, 10) : '';
  if (spec.type === 'cron') return { ...form, mode: 'cron', expression: spec.expression ?? '' };
  const rule = spec.rule ?? '';
  return { ...form, mode: 'rrule', rule, ...(builderOf(rule) ?? {}) };
}

/** A stored `at` as the "YYYY-MM-DDTHH:mm" a datetime-local input shows (an instant is read in `zone`). */
function onceWall(at: string | undefined, zone: string): string | null {
  if (!at) return null;
  if (/(Z|[+-]\d\d:?\d\d)$/i.test(at)) {
    const instant = new Date(at);
    return Number.isNaN(instant.getTime()) ? at : wallIn(instant, zone);
  }
  return at.slice(0, 16);
}

/** The IANA zones to pick from, with `current` among them even if this browser lacks it. */
export function timeZoneOptions(current: string): string[] {
  const known: string[] =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', current])].sort((a, b) => a.localeCompare(b));
}

/** An occurrence as a reader in `zone` sees it: "Mon, Dec 14, 2026, 09:00 GMT+1". */
export function formatInZone(iso: string, zone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}
