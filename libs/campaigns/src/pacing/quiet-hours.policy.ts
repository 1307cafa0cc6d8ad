import { DomainError } from '@wwb/runtime';
import { DateTime, IANAZone } from 'luxon';
import { QuietHours } from './pacing.policy';

const MINUTE_MS = 60_000;
/** Wider than any UTC offset, so sampling either side of a wall time sees both offsets of a DST change. */
const OFFSET_PROBE_MS = 15 * 60 * MINUTE_MS;

/** The zone for `name`, or 400 invalid_time_zone naming it. */
export function timeZone(name: string): IANAZone {
  if (!IANAZone.isValidZone(name)) {
    throw DomainError.invalid(
      'invalid_time_zone',
      `"${name}" is not an IANA time zone (e.g. Europe/Berlin)`,
      {
        zone: name,
      },
    );
  }
  return IANAZone.create(name);
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Milliseconds since local midnight, from the wall clock (so a DST day still ends at 24:00). */
const wallMsOfDay = (t: DateTime): number =>
  ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.millisecond;

/** Whether the wall clock of `at` in `zone` falls inside the window [start, end). */
export function isQuietAt(at: Date, zone: string, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  return inWindow(wallMsOfDay(DateTime.fromJSDate(at, { zone: timeZone(zone) })), quiet);
}

function inWindow(msOfDay: number, quiet: QuietHours): boolean {
  const start = minutesOf(quiet.start) * MINUTE_MS;
  const end = minutesOf(quiet.end) * MINUTE_MS;
  return start < end ? msOfDay >= start && msOfDay < end : msOfDay >= start || msOfDay < end;
}

/**
 * The first instant >= `at` outside quiet hours in the recipient's `zone`: `at` itself when it is
 * already outside, else the next time the wall clock reads `quiet.end`. Messages are deferred,
 * never dropped, so this always returns a time. Windows may cross midnight (21:00-09:00). On a
 * day the clocks go forward through `end`, the window ends at the jump; on a day they go back,
 * at the first of the two instants that read `end`.
 */
export function deferForQuietHours(at: Date, zone: string, quiet: QuietHours | null): Date {
  if (!quiet) return at;
  const tz = timeZone(zone);
  const local = DateTime.fromJSDate(at, { zone: tz });
  const msOfDay = wallMsOfDay(local);
  if (!inWindow(msOfDay, quiet)) return at;

  const crossesMidnight = minutesOf(quiet.start) > minutesOf(quiet.end);
  const endsTomorrow = crossesMidnight && msOfDay >= minutesOf(quiet.start) * MINUTE_MS;
  // Calendar arithmetic on the date alone: adding 24 h would land on the wrong day across DST.
  const day = endsTomorrow ? local.plus({ days: 1 }) : local;
  const wallAsUtc = Date.UTC(day.year, day.month - 1, day.day) + minutesOf(quiet.end) * MINUTE_MS;
  const end = firstInstantAtWall(tz, wallAsUtc);
  return new Date(Math.max(end, at.getTime()));
}

/**
 * The earliest instant whose wall clock in `tz` reads `wallAsUtc` (a wall time written as if it
 * were UTC) or, when that wall time is skipped by a DST jump, the instant of the jump.
 */
function firstInstantAtWall(tz: IANAZone, wallAsUtc: number): number {
  const offsets = new Set([tz.offset(wallAsUtc - OFFSET_PROBE_MS), tz.offset(wallAsUtc + OFFSET_PROBE_MS)]);
  const exact = [...offsets]
    .map((offset) => wallAsUtc - offset * MINUTE_MS)
    .filter((t) => t + tz.offset(t) * MINUTE_MS === wallAsUtc);
  if (exact.length > 0) return Math.min(...exact);

  // Skipped: the jump lies between the wall time read with the later offset and with the earlier one.
  const [a, b] = [...offsets].map((offset) => wallAsUtc - offset * MINUTE_MS).sort((x, y) => x - y);
  const before = tz.offset(a);
  let lo = a;
  let hi = b;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (tz.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Start of the next local day after `at` in `zone` (the first instant of that date, DST-safe). */
export function nextLocalDayStart(at: Date, zone: string): Date {
  const tz = timeZone(zone);
  const next = DateTime.fromJSDate(at, { zone: tz }).plus({ days: 1 });
  const wallMidnight = Date.UTC(next.year, next.month - 1, next.day);
  // A zone whose clocks jump forward at midnight starts that day at the jump (01:00).
  return new Date(firstInstantAtWall(tz, wallMidnight));
}

/** The local date of `at` in `zone`, "yyyy-MM-dd": the key the daily cap counts against. */
export function localDayKey(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone(zone) }).toISODate() ?? '';
}
