import { DomainError } from '@wwb/runtime';
import { DateTime, IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS, WallMs, resolveWall, startOfDay, timeZoneOf, wallOf } from './wall-time.policy';

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Indexed like Date#getUTCDay (0 = Sunday). */
export const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

const SUPPORTED = [
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'BYHOUR',
  'BYMINUTE',
  'BYSETPOS',
  'WKST',
];

export interface ByDay {
  weekday: number;
  /** 0 = every such weekday; 1 = the first, -1 = the last of the month (or year). */
  ordinal: number;
}

/** RRULE parts after defaults; BYHOUR and BYMINUTE are always filled in. */
export interface RecurrenceParts {
  freq: Frequency;
  interval: number;
  count: number | null;
  /** Last wall time allowed (inclusive), in the schedule's zone. */
  until: WallMs | null;
  byDay: ByDay[];
  byMonthDay: number[];
  byMonth: number[];
  byHour: number[];
  byMinute: number[];
  bySetPos: number[];
  wkst: number;
  dtstart: WallMs;
}

/** COUNT is walked from DTSTART on every lookup, so it is kept to what a campaign needs. */
const MAX_COUNT = 1000;

const invalidRrule = (message: string): DomainError =>
  DomainError.invalid('invalid_rrule', `schedule.rule: ${message}`, { field: 'schedule.rule' });

export const basicDateTime = (wall: WallMs): string =>
  new Date(wall).toISOString().slice(0, 19).replace(/[-:]/g, '');

/** The rule with every default written out, so that reading it back never depends on "now". */
export function formatRecurrence(p: RecurrenceParts, zone: IANAZone): string {
  const out = [`FREQ=${p.freq}`];
  if (p.interval !== 1) out.push(`INTERVAL=${p.interval}`);
  if (p.count !== null) out.push(`COUNT=${p.count}`);
  if (p.until !== null) out.push(`UNTIL=${basicDateTime(p.until)}`);
  if (p.byMonth.length) out.push(`BYMONTH=${p.byMonth.join(',')}`);
  if (p.byMonthDay.length) out.push(`BYMONTHDAY=${p.byMonthDay.join(',')}`);
  if (p.byDay.length)
    out.push(`BYDAY=${p.byDay.map((d) => `${d.ordinal || ''}${WEEKDAYS[d.weekday]}`).join(',')}`);
  out.push(`BYHOUR=${p.byHour.join(',')}`, `BYMINUTE=${p.byMinute.join(',')}`);
  if (p.bySetPos.length) out.push(`BYSETPOS=${p.bySetPos.join(',')}`);
  if (p.wkst !== 1) out.push(`WKST=${WEEKDAYS[p.wkst]}`);
  return `DTSTART;TZID=${zone.name}:${basicDateTime(p.dtstart)}\nRRULE:${out.join(';')}`;
}

/** Parses and validates `text` (see RecurrenceRule); parts left out are filled in. */
export function parseRecurrence(text: string, zone: IANAZone, defaultStart: WallMs): RecurrenceParts {
  let dtstart: WallMs | null = null;
  let body: string | null = null;
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (line === '') continue;
    const name = /^[A-Z-]+/i.exec(line)?.[0].toUpperCase() ?? '';
    if (name === 'DTSTART' && dtstart === null) dtstart = parseDtstart(line, zone);
    else if ((name === 'RRULE' && line[5] === ':') || !line.includes(':')) {
      if (body !== null) throw invalidRrule('only one RRULE line is supported');
      body = name === 'RRULE' ? line.slice(6) : line;
    } else throw invalidRrule(`the line "${line.slice(0, 40)}" is not supported (only DTSTART and RRULE)`);
  }
  if (body === null) throw invalidRrule('FREQ is required (e.g. "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9")');

  const raw = new Map<string, string>();
  for (const part of body.split(';')) {
    const m = /^([A-Z]+)=(.+)$/i.exec(part.trim());
    if (!m) throw invalidRrule(`"${part}" is not a KEY=VALUE part`);
    const key = m[1]!.toUpperCase();
    if (!SUPPORTED.includes(key))
      throw invalidRrule(`${key} is not supported (supported: ${SUPPORTED.join(', ')})`);
    if (raw.has(key)) throw invalidRrule(`${key} is given twice`);
    raw.set(key, m[2]!.toUpperCase());
  }
  const freq = raw.get('FREQ') as Frequency | undefined;
  if (!freq) throw invalidRrule('FREQ is required (e.g. "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9")');
  if (!FREQUENCIES.includes(freq))
    throw invalidRrule(`FREQ=${freq} is not supported (${FREQUENCIES.join(', ')})`);
  if (raw.has('COUNT') && raw.has('UNTIL')) throw invalidRrule('COUNT and UNTIL cannot both be given');

  const one = (key: string, min: number, max: number): number | null => {
    const v = raw.get(key);
    return v === undefined ? null : ints(key, v, min, max, false)[0]!;
  };
  const list = (key: string, min: number, max: number, negative = false): number[] => {
    const v = raw.get(key);
    return v === undefined ? [] : ints(key, v, min, max, negative);
  };
  if (raw.has('INTERVAL') && raw.get('INTERVAL')!.includes(','))
    throw invalidRrule('INTERVAL takes one number');
  if (raw.has('COUNT') && raw.get('COUNT')!.includes(',')) throw invalidRrule('COUNT takes one number');
  const byMonthDay = list('BYMONTHDAY', 1, 31, true);
  if (freq === 'WEEKLY' && byMonthDay.length)
    throw invalidRrule('BYMONTHDAY cannot be used with FREQ=WEEKLY');
  const byMonth = list('BYMONTH', 1, 12);
  const byHour = list('BYHOUR', 0, 23);
  const byMinute = list('BYMINUTE', 0, 59);
  if (dtstart === null && byHour.length === 0) {
    throw invalidRrule('BYHOUR is required when the rule has no DTSTART line (e.g. BYHOUR=9)');
  }
  const start = dtstart ?? Math.ceil(defaultStart / MINUTE_MS) * MINUTE_MS;
  const startDate = new Date(start);
  return {
    freq,
    interval: one('INTERVAL', 1, 999) ?? 1,
    count: one('COUNT', 1, MAX_COUNT),
    until: raw.has('UNTIL') ? parseUntil(raw.get('UNTIL')!, zone) : null,
    byDay: parseByDay(raw.get('BYDAY'), freq, byMonth.length > 0),
    byMonthDay,
    byMonth,
    byHour: byHour.length ? byHour : [startDate.getUTCHours()],
    byMinute: byMinute.length ? byMinute : dtstart === null ? [0] : [startDate.getUTCMinutes()],
    bySetPos: list('BYSETPOS', 1, 366, true),
    wkst: raw.has('WKST') ? weekday('WKST', raw.get('WKST')!) : 1,
    dtstart: start,
  };
}

function ints(key: string, value: string, min: number, max: number, negative: boolean): number[] {
  const out = new Set<number>();
  for (const item of value.split(',')) {
    const n = /^[+-]?\d{1,6}$/.test(item) ? Number(item) : NaN;
    const ok = Number.isInteger(n) && Math.abs(n) >= min && Math.abs(n) <= max && (negative || n >= 0);
    if (!ok) {
      const range = negative ? `${min}..${max} or -${max}..-${min}` : `${min}..${max}`;
      throw invalidRrule(`${key} value "${item}" must be a whole number in ${range}`);
    }
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

function weekday(key: string, code: string): number {
  const i = (WEEKDAYS as readonly string[]).indexOf(code);
  if (i < 0) throw invalidRrule(`${key} "${code}" is not a weekday (${WEEKDAYS.join(', ')})`);
  return i;
}

function parseByDay(value: string | undefined, freq: Frequency, withMonth: boolean): ByDay[] {
  if (value === undefined) return [];
  return value.split(',').map((item) => {
    const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
    if (!m) throw invalidRrule(`BYDAY "${item}" is not a weekday such as MO, +1MO or -1FR`);
    const ordinal = m[1] === undefined ? 0 : Number(m[1]);
    if (m[1] !== undefined) {
      if (freq !== 'MONTHLY' && freq !== 'YEARLY') {
        throw invalidRrule(`BYDAY "${item}": a numbered weekday needs FREQ=MONTHLY or YEARLY`);
      }
      const max = freq === 'MONTHLY' || withMonth ? 5 : 53;
      if (ordinal === 0 || Math.abs(ordinal) > max) {
        throw invalidRrule(`BYDAY "${item}": the number must be 1..${max} or -${max}..-1`);
      }
    }
    return { weekday: weekday('BYDAY', m[2]!), ordinal };
  });
}

const BASIC = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?$/;

function basicWall(text: string, what: string): WallMs {
  const m = BASIC.exec(text);
  const parsed =
    m &&
    DateTime.fromObject(
      {
        year: +m[1]!,
        month: +m[2]!,
        day: +m[3]!,
        hour: +(m[4] ?? 0),
        minute: +(m[5] ?? 0),
        second: +(m[6] ?? 0),
      },
      { zone: 'utc' },
    );
  if (!parsed || !parsed.isValid)
    throw invalidRrule(`${what} "${text}" is not a date-time such as 20260105T090000`);
  return parsed.toMillis();
}

function parseDtstart(line: string, zone: IANAZone): WallMs {
  const m = /^DTSTART(?:;TZID=([^:;]+))?:(\d{8}T\d{6})(Z?)$/i.exec(line);
  if (!m) throw invalidRrule(`"${line}" is not DTSTART:20260105T090000 (or with Z, or ;TZID=Zone)`);
  const wall = basicWall(m[2]!, 'DTSTART');
  if (wall % MINUTE_MS !== 0) throw invalidRrule('DTSTART seconds must be 00 (schedules run to the minute)');
  if (m[3]) return wallOf(wall, zone);
  if (!m[1]) return wall;
  const other = timeZoneOf(m[1], 'schedule.rule DTSTART TZID');
  return other.name === zone.name ? wall : wallOf(resolveWall(wall, other), zone);
}

function parseUntil(value: string, zone: IANAZone): WallMs {
  const utc = value.endsWith('Z');
  const text = utc ? value.slice(0, -1) : value;
  const wall = basicWall(text, 'UNTIL');
  if (utc) return wallOf(wall, zone);
  // A date alone includes its whole day.
  return text.length === 8 ? startOfDay(wall) + DAY_MS - 1 : wall;
}
