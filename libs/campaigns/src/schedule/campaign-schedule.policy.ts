import { DomainError } from '@wwb/runtime';
import { IANAZone } from 'luxon';
import { CronExpression, WallTimeRule } from './cron-expression.policy';
import { RecurrenceRule } from './recurrence-rule.policy';
import { ScheduleSpec } from './schedule.dto';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  WallMs,
  formatWall,
  parseDateTime,
  resolveWall,
  timeZoneOf,
  wallOf,
} from './wall-time.policy';

/** With misfire `skip`, an occurrence is still run when its start is at most this late. */
export const MISFIRE_GRACE_MS = 5 * MINUTE_MS;

/**
 * The zones furthest ahead (UTC+14, Pacific/Kiritimati) and behind (UTC-12) of UTC: a wall time
 * reaches every recipient between these two offsets.
 */
export const EARLIEST_OFFSET_MS = 14 * HOUR_MS;
export const LATEST_OFFSET_MS = 12 * HOUR_MS;

export interface RunWindow {
  /** When the first recipient is due (the run must have started by then). */
  first: Date;
  /** When the last recipient is due. */
  last: Date;
}

interface Occurrence {
  instant: number;
  wall: WallMs;
}

/**
 * When a campaign runs, over a spec that `parseSchedule` accepted. Pure: every time is passed in.
 *
 * An occurrence is a wall time in the campaign's zone; the `Date` this class hands out for it is
 * the instant that wall time happens there, by the DST rules of `resolveWall` (a skipped 02:30
 * runs at 03:30, a repeated 02:30 runs at its first instant, and two wall times that land on the
 * same instant run once).
 *
 * Occurrence ids: derive a run's id from `occurrenceId(occurrence)`, the wall time in the
 * campaign's zone ("2026-03-30T09:00"). It does not depend on when or where it is computed, so
 * schedulers on several workers, or one restarted after a crash, name the same occurrence the
 * same way, and a unique insert of campaign id + occurrence id claims the run exactly once.
 *
 * With `recipientLocalTime`, each recipient gets the occurrence's wall time in their own zone
 * (`localInstant`); the run starts when the first zone reaches it (`runWindow`, `startsAt`), and
 * `due` and the misfire policy go by that start.
 */
export class CampaignSchedule {
  readonly zone: IANAZone;
  private readonly rule: WallTimeRule | null;
  private readonly once: Occurrence | null;
  private readonly startAt: number;
  private readonly endAt: number | null;
  private readonly zones = new Map<string, IANAZone>();
  private lastWall: Occurrence | null = null;

  constructor(readonly spec: ScheduleSpec) {
    this.zone = timeZoneOf(spec.timeZone, 'schedule.timeZone');
    if (spec.type === 'once') {
      const at = parseDateTime(spec.at, this.zone, 'schedule.at');
      this.once = { instant: at.instant, wall: at.wall };
      this.rule = null;
      this.startAt = at.instant;
      this.endAt = at.instant;
      return;
    }
    this.once = null;
    this.startAt = parseDateTime(spec.startAt, this.zone, 'schedule.startAt').instant;
    this.endAt = spec.endAt === null ? null : parseDateTime(spec.endAt, this.zone, 'schedule.endAt').instant;
    this.rule =
      spec.type === 'cron'
        ? new CronExpression(spec.expression)
        : new RecurrenceRule(spec.rule, this.zone, wallOf(this.startAt, this.zone));
  }

  /** The first occurrence strictly after `t`, or null when the schedule has ended. */
  nextAfter(t: Date): Date | null {
    for (const o of this.occurrencesFrom(t.getTime() + 1)) return new Date(o.instant);
    return null;
  }

  /** Occurrences with from <= occurrence < to, at most `limit` of them. */
  between(from: Date, to: Date, limit: number): Date[] {
    const out: Date[] = [];
    if (limit < 1) return out;
    for (const o of this.occurrencesFrom(from.getTime())) {
      if (o.instant >= to.getTime()) break;
      out.push(new Date(o.instant));
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * The occurrence to run now, if any, given the last one that ran (null: none yet) and the
   * misfire policy: `run_once` runs the latest occurrence whose start has passed (one run makes
   * up for any number missed); `skip` runs it only if its start is at most MISFIRE_GRACE_MS ago.
   * Never more than one.
   */
  due(lastOccurrence: Date | null, now: Date): Date[] {
    const from = lastOccurrence === null ? this.startAt : lastOccurrence.getTime() + 1;
    // Long downtime with a frequent rule: look at the last day first, and further back only if
    // it holds nothing (a sparse rule, cheap to walk).
    const recent = Math.max(from, now.getTime() - DAY_MS - EARLIEST_OFFSET_MS);
    let latest = this.latestStartedFrom(recent, now);
    if (latest === null && recent > from) latest = this.latestStartedFrom(from, now);
    if (latest === null) return [];
    if (this.spec.misfire === 'skip' && now.getTime() - this.startOf(latest) > MISFIRE_GRACE_MS) return [];
    return [new Date(latest.instant)];
  }

  private latestStartedFrom(from: number, now: Date): Occurrence | null {
    let latest: Occurrence | null = null;
    for (const o of this.occurrencesFrom(from)) {
      if (this.startOf(o) > now.getTime()) break;
      latest = o;
    }
    return latest;
  }

  /** When the run for `occurrence` must start: itself, or its first recipient's time. */
  startsAt(occurrence: Date): Date {
    return new Date(this.startOf(this.occurrenceAt(occurrence)));
  }

  /**
   * From the first to the last recipient's due time: with recipientLocalTime the wall time in
   * UTC+14 to the wall time in UTC-12 (26 hours), otherwise the occurrence alone.
   */
  runWindow(occurrence: Date): RunWindow {
    const o = this.occurrenceAt(occurrence);
    if (!this.spec.recipientLocalTime) return { first: new Date(o.instant), last: new Date(o.instant) };
    return { first: new Date(o.wall - EARLIEST_OFFSET_MS), last: new Date(o.wall + LATEST_OFFSET_MS) };
  }

  /**
   * The occurrence's wall time in `zone` (same DST rules). For a wall time the campaign's zone
   * skipped, it is the wall time the rule named (02:30), not the one it ran at there (03:30).
   */
  localInstant(occurrence: Date, zone: string): Date {
    return new Date(resolveWall(this.occurrenceAt(occurrence).wall, this.zoneOf(zone)));
  }

  /**
   * When one recipient is due: the occurrence itself, or with recipientLocalTime its wall time in
   * the recipient's zone; a recipient without a usable zone gets the campaign's.
   */
  sendAt(occurrence: Date, recipientZone: string | null | undefined): Date {
    const o = this.occurrenceAt(occurrence);
    if (!this.spec.recipientLocalTime || !recipientZone) return new Date(o.instant);
    try {
      return new Date(resolveWall(o.wall, this.zoneOf(recipientZone)));
    } catch {
      return new Date(o.instant);
    }
  }

  /** Stable id of an occurrence: its wall time in the campaign's zone ("2026-03-30T09:00"). */
  occurrenceId(occurrence: Date): string {
    return formatWall(this.occurrenceAt(occurrence).wall);
  }

  private startOf(o: Occurrence): number {
    return this.spec.recipientLocalTime ? o.wall - EARLIEST_OFFSET_MS : o.instant;
  }

  private zoneOf(name: string): IANAZone {
    let zone = this.zones.get(name);
    if (!zone) {
      zone = timeZoneOf(name, 'time zone');
      if (this.zones.size < 1000) this.zones.set(name, zone);
    }
    return zone;
  }

  /** The occurrence at `instant` with its wall time, or 400 not_an_occurrence. */
  private occurrenceAt(instant: Date): Occurrence {
    const t = instant.getTime();
    // A run asks the same occurrence once per recipient; one lookup serves them all.
    if (this.lastWall?.instant === t) return this.lastWall;
    for (const o of this.occurrencesFrom(t)) {
      if (o.instant !== t) break;
      this.lastWall = o;
      return o;
    }
    throw DomainError.invalid(
      'not_an_occurrence',
      `${Number.isNaN(t) ? 'an invalid date' : instant.toISOString()} is not an occurrence of this schedule`,
    );
  }

  /** Occurrences at or after `from`, ascending, each instant once. */
  private *occurrencesFrom(from: number): Generator<Occurrence, void, undefined> {
    if (Number.isNaN(from)) return;
    if (this.once) {
      if (this.once.instant >= from) yield this.once;
      return;
    }
    let previous = -Infinity;
    // Start a day early: a wall time maps to an instant up to a DST gap away, and the walls just
    // before `from` are needed to tell which of two walls on one instant came first.
    for (const wall of this.rule!.wallsFrom(wallOf(from, this.zone) - DAY_MS)) {
      const instant = resolveWall(wall, this.zone);
      if (this.endAt !== null && instant > this.endAt) return;
      if (instant <= previous) continue;
      previous = instant;
      if (instant >= from && instant >= this.startAt) yield { instant, wall };
    }
  }
}
