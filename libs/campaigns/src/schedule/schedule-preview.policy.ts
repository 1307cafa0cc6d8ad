import { DateTime } from 'luxon';
import { compileSchedule, ONCE_PAST_TOLERANCE_MS, parseSchedule } from './schedule.policy';
import { ScheduleSpec } from './schedule.dto';

export const PREVIEW_COUNT = Object.freeze({ min: 1, max: 20, default: 5 });

export interface PreviewOccurrence {
  /** The instant it runs (UTC, ISO). */
  at: string;
  /** What a clock in the schedule's zone shows then ("2026-03-30T09:00"). */
  local: string;
  /** The zone's offset from UTC then ("+02:00"), which tells the two 02:30s of a fall-back night apart. */
  offset: string;
}

export interface SchedulePreview {
  /** The schedule as creating a campaign would store it (defaults written out). */
  schedule: ScheduleSpec;
  timeZone: string;
  /** The next occurrences in order; fewer than asked when the schedule ends first. */
  occurrences: PreviewOccurrence[];
}

/**
 * The next `count` occurrences of a schedule as the campaign API would accept it at `now`: the
 * same parseSchedule, so an invalid schedule fails with the same codes as creating a campaign
 * (invalid_schedule, invalid_time_zone, invalid_cron, invalid_rrule, schedule_end_before_start,
 * schedule_in_past, schedule_too_frequent).
 */
export function previewSchedule(input: unknown, count: number, now: Date): SchedulePreview {
  const spec = parseSchedule(input, now);
  const schedule = compileSchedule(spec);
  // A `once` up to a minute ago is accepted (it runs at once), so it is still shown.
  const from = new Date(now.getTime() - ONCE_PAST_TOLERANCE_MS);
  const limit = Math.min(PREVIEW_COUNT.max, Math.max(PREVIEW_COUNT.min, Math.trunc(count)));
  const occurrences = schedule.between(from, new Date(8.64e15), limit).map((d) => {
    const local = DateTime.fromJSDate(d, { zone: schedule.zone });
    return {
      at: d.toISOString(),
      local: local.toFormat(local.second ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm"),
      offset: local.toFormat('ZZ'),
    };
  });
  return { schedule: spec, timeZone: spec.timeZone, occurrences };
}
