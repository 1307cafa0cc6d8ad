import { IANAZone } from 'luxon';
import { WallTimeRule } from './cron-expression.policy';
import { RecurrenceParts, formatRecurrence, parseRecurrence } from './rrule-text.policy';
import { DAY_MS, HOUR_MS, MINUTE_MS, WallMs } from './wall-time.policy';

/**
 * No satisfiable rule in this subset goes longer than 8 periods or 8 years without a match
 * (29 February); past both, a search stops instead of running forever.
 */
const MAX_EMPTY_PERIODS = 8;
const MAX_EMPTY_SPAN = 9 * 366 * DAY_MS;

/**
 * An RFC 5545 RRULE (the subset campaigns need) read as wall time in the schedule's zone.
 * `text` is "FREQ=...;..." or "RRULE:FREQ=...", optionally after a "DTSTART..." line (floating,
 * UTC "Z", or ";TZID=Zone"). Without DTSTART the rule starts at `defaultStart` and BYHOUR is
 * required: the time of day would otherwise be whenever the schedule happened to be saved, and a
 * missing BYMINUTE means :00 for the same reason. Anything outside the subset is refused by name.
 */
export class RecurrenceRule implements WallTimeRule {
  readonly parts: RecurrenceParts;

  constructor(
    text: string,
    private readonly zone: IANAZone,
    defaultStart: WallMs,
  ) {
    this.parts = parseRecurrence(text, zone, defaultStart);
  }

  /** The rule with every default written out (see formatRecurrence). */
  toString(): string {
    return formatRecurrence(this.parts, this.zone);
  }

  *wallsFrom(from: WallMs): Generator<WallMs, void, undefined> {
    const p = this.parts;
    const first = unitOf(p.dtstart, p);
    // COUNT numbers occurrences from DTSTART, so only then must the walk begin there.
    let unit = first;
    if (p.count === null && from > p.dtstart) {
      unit = first + Math.floor((unitOf(from, p) - first) / p.interval) * p.interval;
    }
    let seen = 0;
    let emptyPeriods = 0;
    let lastHit = unitStart(unit, p);
    for (; ; unit += p.interval) {
      const walls = expand(unit, p);
      if (walls.length === 0) {
        emptyPeriods++;
        if (emptyPeriods > MAX_EMPTY_PERIODS && unitStart(unit, p) - lastHit > MAX_EMPTY_SPAN) return;
        continue;
      }
      emptyPeriods = 0;
      lastHit = unitStart(unit, p);
      for (const wall of walls) {
        if (wall < p.dtstart) continue;
        if (p.until !== null && wall > p.until) return;
        seen++;
        if (p.count !== null && seen > p.count) return;
        if (wall >= from) yield wall;
      }
    }
  }
}

/** Index of the period (day, week from WKST, month or year) that holds `wall`. */
function unitOf(wall: WallMs, p: RecurrenceParts): number {
  const d = new Date(wall);
  const day = Math.floor(wall / DAY_MS);
  switch (p.freq) {
    case 'DAILY':
      return day;
    case 'WEEKLY':
      // 1970-01-01 was a Thursday (4): shifting by it makes every WKST-started week one unit.
      return Math.floor((day + 4 - p.wkst) / 7);
    case 'MONTHLY':
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    case 'YEARLY':
      return d.getUTCFullYear();
  }
}

function unitStart(unit: number, p: RecurrenceParts): WallMs {
  switch (p.freq) {
    case 'DAILY':
      return unit * DAY_MS;
    case 'WEEKLY':
      return (unit * 7 - 4 + p.wkst) * DAY_MS;
    case 'MONTHLY':
      return Date.UTC(Math.floor(unit / 12), unit % 12, 1);
    case 'YEARLY':
      return Date.UTC(unit, 0, 1);
  }
}

function unitEnd(unit: number, p: RecurrenceParts): WallMs {
  switch (p.freq) {
    case 'DAILY':
      return unitStart(unit, p) + DAY_MS;
    case 'WEEKLY':
      return unitStart(unit, p) + 7 * DAY_MS;
    case 'MONTHLY':
      return Date.UTC(Math.floor(unit / 12), (unit % 12) + 1, 1);
    case 'YEARLY':
      return Date.UTC(unit + 1, 0, 1);
  }
}

/** Every wall time of one period, ascending, after BYSETPOS. */
function expand(unit: number, p: RecurrenceParts): WallMs[] {
  const walls: WallMs[] = [];
  const end = unitEnd(unit, p);
  for (let day = unitStart(unit, p); day < end; day += DAY_MS) {
    const date = new Date(day);
    if (p.byMonth.length && !p.byMonth.includes(date.getUTCMonth() + 1)) {
      // A yearly rule walks only its months: COUNT makes every lookup walk from DTSTART.
      day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - DAY_MS;
      continue;
    }
    if (!dayMatches(date, p)) continue;
    for (const hour of p.byHour) {
      for (const minute of p.byMinute) walls.push(day + hour * HOUR_MS + minute * MINUTE_MS);
    }
  }
  if (p.bySetPos.length === 0) return walls;
  const picked = new Set<WallMs>();
  for (const pos of p.bySetPos) {
    const wall = walls[pos > 0 ? pos - 1 : walls.length + pos];
    if (wall !== undefined) picked.add(wall);
  }
  return [...picked].sort((a, b) => a - b);
}

const daysInMonth = (year: number, month0: number): number =>
  new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

function dayMatches(d: Date, p: RecurrenceParts): boolean {
  const year = d.getUTCFullYear();
  const month0 = d.getUTCMonth();
  const date = d.getUTCDate();
  const anchor = new Date(p.dtstart);
  if (p.byMonth.length && !p.byMonth.includes(month0 + 1)) return false;
  if (p.byMonthDay.length) {
    const length = daysInMonth(year, month0);
    if (!p.byMonthDay.some((v) => (v > 0 ? v : length + 1 + v) === date)) return false;
  }
  if (p.byDay.length) {
    // "+1MO" counts within the month, except in a YEARLY rule without BYMONTH: within the year.
    const inYear = p.freq === 'YEARLY' && p.byMonth.length === 0;
    const index = inYear ? (d.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1 : date;
    const length = inYear
      ? (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS
      : daysInMonth(year, month0);
    const ok = p.byDay.some(
      (b) =>
        b.weekday === d.getUTCDay() &&
        (b.ordinal === 0 ||
          (b.ordinal > 0
            ? Math.ceil(index / 7) === b.ordinal
            : Math.ceil((length - index + 1) / 7) === -b.ordinal)),
    );
    if (!ok) return false;
  }
  // Parts a rule leaves out come from DTSTART (RFC 5545 section 3.3.10).
  const noDay = p.byDay.length === 0 && p.byMonthDay.length === 0;
  if (p.freq === 'WEEKLY' && p.byDay.length === 0) return d.getUTCDay() === anchor.getUTCDay();
  if (p.freq === 'MONTHLY' && noDay) return date === anchor.getUTCDate();
  if (p.freq === 'YEARLY' && noDay) {
    return date === anchor.getUTCDate() && (p.byMonth.length > 0 || month0 === anchor.getUTCMonth());
  }
  return true;
}
