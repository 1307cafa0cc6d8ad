/**
 * A campaign schedule as the API accepts it under `schedule` and as it is stored, after
 * `parseSchedule` has validated it and written out its defaults (so that reading it back never
 * depends on when that happens). Times without an offset are wall time in `timeZone`.
 */
export const SCHEDULE_TYPES = ['once', 'cron', 'rrule'] as const;
export type ScheduleType = (typeof SCHEDULE_TYPES)[number];

/** After downtime: `skip` what was missed, or `run_once` for the latest missed occurrence. */
export const MISFIRE_POLICIES = ['skip', 'run_once'] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

interface ScheduleSpecBase {
  /** IANA zone the schedule's wall times are read in. */
  timeZone: string;
  misfire: MisfirePolicy;
  /** Each recipient gets the occurrence's wall time in their own zone. */
  recipientLocalTime: boolean;
}

export interface OnceScheduleSpec extends ScheduleSpecBase {
  type: 'once';
  /** "2026-12-24T09:00" (wall time in timeZone) or "2026-12-24T08:00:00Z". */
  at: string;
}

interface RecurringScheduleSpec extends ScheduleSpecBase {
  /** ISO instant (UTC): no occurrence before it. Defaults to when the schedule was accepted. */
  startAt: string;
  /** ISO instant (UTC): no occurrence after it. */
  endAt: string | null;
}

export interface CronScheduleSpec extends RecurringScheduleSpec {
  type: 'cron';
  /** 5 fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * MON". */
  expression: string;
}

export interface RruleScheduleSpec extends RecurringScheduleSpec {
  type: 'rrule';
  /** Stored as "DTSTART;TZID=<timeZone>:...\nRRULE:..." with BYHOUR and BYMINUTE written out. */
  rule: string;
}

export type ScheduleSpec = OnceScheduleSpec | CronScheduleSpec | RruleScheduleSpec;
