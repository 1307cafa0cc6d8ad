import { DomainError } from '@wwb/runtime';
import { DateTime, IANAZone } from 'luxon';

/**
 * A wall-clock time (what a clock on the wall shows in some zone) encoded as the milliseconds of
 * that same date and time read in UTC. Recurrence rules speak in wall time, so the calendar
 * arithmetic runs on these plain numbers and a zone is only consulted to turn one into an
 * instant; that keeps the DST rules in one place (`resolveWall`).
 */
export type WallMs = number;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * The zone for `name`, or 400 invalid_time_zone. Only the letter case is corrected: Intl would
 * also rename links (Asia/Kolkata -> Asia/Calcutta), which would surprise whoever reads it back.
 */
export function timeZoneOf(name: unknown, field: string): IANAZone {
  if (typeof name !== 'string' || name.trim() === '' || !IANAZone.isValidZone(name)) {
    throw DomainError.invalid(
      'invalid_time_zone',
      `${field} ${JSON.stringify(name)} is not an IANA time zone (e.g. Europe/Berlin)`,
      { field },
    );
  }
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  return IANAZone.create(resolved.toLowerCase() === name.toLowerCase() ? resolved : name);
}

/** The wall time `instant` shows in `zone`. */
export function wallOf(instant: number, zone: IANAZone): WallMs {
  return instant + zone.offset(instant) * MINUTE_MS;
}

/**
 * The instant at which `zone` shows `wall`, by the two DST rules every schedule follows:
 * - a wall time skipped by a spring-forward change moves forward by the gap (02:30 on the last
 *   Sunday of March in Berlin becomes 03:30 CEST), because sending late beats not sending;
 * - a wall time repeated by a fall-back change takes its first (earlier) instant, so it is one
 *   occurrence and not two.
 * The offsets a day either side cover every real transition (none are closer than days apart).
 */
export function resolveWall(wall: WallMs, zone: IANAZone): number {
  const before = zone.offset(wall - DAY_MS);
  const candidates = new Set([before, zone.offset(wall), zone.offset(wall + DAY_MS)]);
  let best: number | null = null;
  for (const offset of candidates) {
    const instant = wall - offset * MINUTE_MS;
    if (zone.offset(instant) === offset && (best === null || instant < best)) best = instant;
  }
  // In a gap no offset fits; read with the offset from before the change, it lands `gap` later.
  return best ?? wall - before * MINUTE_MS;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "2026-03-30T09:00" (seconds only when not zero): a wall time, no offset. */
export function formatWall(wall: WallMs): string {
  const d = new Date(wall);
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return d.getUTCSeconds() === 0 ? base : `${base}:${pad(d.getUTCSeconds())}`;
}

/** Midnight (wall) of the day of `wall`. */
export const startOfDay = (wall: WallMs): WallMs => wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

export interface ParsedDateTime {
  instant: number;
  /** The wall time the user meant in the schedule's zone (the wall time they wrote, if no offset). */
  wall: WallMs;
}

/**
 * A date and time given to the API: "2026-12-24T09:00" is wall time in `zone` (DST rules of
 * `resolveWall`), "2026-12-24T08:00:00Z" or "...+01:00" an instant. A date alone is refused:
 * whether an end date includes its day is a guess the caller should not have to make.
 */
export function parseDateTime(value: unknown, zone: IANAZone, field: string): ParsedDateTime {
  const bad = () =>
    DomainError.invalid(
      'invalid_schedule',
      `${field} must be a date and time such as "2026-12-24T09:00" (wall time in the schedule's time zone) or "2026-12-24T08:00:00Z"`,
      { field },
    );
  if (typeof value !== 'string') throw bad();
  const match = ISO_DATE_TIME.exec(value);
  if (!match) throw bad();
  if (match[1]) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (!parsed.isValid) throw bad();
    return { instant: parsed.toMillis(), wall: wallOf(parsed.toMillis(), zone) };
  }
  const local = DateTime.fromISO(value, { zone: 'utc' });
  if (!local.isValid) throw bad();
  return { instant: resolveWall(local.toMillis(), zone), wall: local.toMillis() };
}
