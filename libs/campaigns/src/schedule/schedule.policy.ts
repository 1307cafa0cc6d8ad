import { DomainError } from '@wwb/runtime';
import { IANAZone } from 'luxon';
import { CampaignSchedule } from './campaign-schedule.policy';
import { CronExpression, WallTimeRule } from './cron-expression.policy';
import { RecurrenceRule } from './recurrence-rule.policy';
import { MISFIRE_POLICIES, MisfirePolicy, SCHEDULE_TYPES, ScheduleSpec, ScheduleType } from './schedule.dto';
import { DAY_MS, HOUR_MS, parseDateTime, timeZoneOf, wallOf } from './wall-time.policy';

/** A `once` this much in the past is still accepted: it was "now" when the user pressed send. */
export const ONCE_PAST_TOLERANCE_MS = 60_000;

/** Campaigns are not cron jobs: two occurrences (as wall times) must be at least this far apart. */
export const MIN_OCCURRENCE_GAP_MS = HOUR_MS;

const MAX_RULE_LENGTH = 1000;

const COMMON_FIELDS = ['type', 'timeZone', 'misfire', 'recipientLocalTime'];
const FIELDS: Record<ScheduleType, string[]> = {
  once: [...COMMON_FIELDS, 'at'],
  cron: [...COMMON_FIELDS, 'expression', 'startAt', 'endAt'],
  rrule: [...COMMON_FIELDS, 'rule', 'startAt', 'endAt'],
};

/**
 * Every close pair of a rule in this subset shows within a year of its start; a year of an
 * hourly rule is 8,760 occurrences, so the check also stops after a bounded number.
 */
const GAP_SAMPLE_SPAN_MS = 400 * DAY_MS;
const GAP_SAMPLE_MAX = 2000;

const invalid = (field: string, message: string): DomainError =>
  DomainError.invalid('invalid_schedule', message, { field });

/**
 * Validates what a user sent as `schedule` and returns it with its defaults written out:
 * misfire "run_once", recipientLocalTime false, startAt = `now` (a start in the past also
 * becomes `now`, so a new schedule never fires for occurrences before it was accepted), an RRULE
 * with its DTSTART and time of day explicit. Throws DomainError.invalid with invalid_schedule,
 * invalid_time_zone, invalid_cron, invalid_rrule, schedule_end_before_start, schedule_in_past
 * (a `once` more than a minute ago, or a recurring schedule with no occurrence left) or
 * schedule_too_frequent (occurrences less than an hour apart).
 */
export function parseSchedule(input: unknown, now: Date): ScheduleSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid('schedule', 'schedule must be an object with a type ("once", "cron" or "rrule")');
  }
  const body = input as Record<string, unknown>;
  const type = body['type'];
  if (typeof type !== 'string' || !(SCHEDULE_TYPES as readonly string[]).includes(type)) {
    throw invalid('schedule.type', `schedule.type must be one of ${SCHEDULE_TYPES.join(', ')}`);
  }
  const kind = type as ScheduleType;
  for (const key of Object.keys(body)) {
    if (!FIELDS[kind].includes(key)) {
      throw invalid(
        `schedule.${key}`,
        `schedule.${key} is not a field of a ${kind} schedule (allowed: ${FIELDS[kind].join(', ')})`,
      );
    }
  }
  if (body['timeZone'] === undefined)
    throw invalid('schedule.timeZone', 'schedule.timeZone is required (e.g. Europe/Berlin)');
  const zone = timeZoneOf(body['timeZone'], 'schedule.timeZone');
  const base = {
    timeZone: zone.name,
    misfire: misfireOf(body['misfire']),
    recipientLocalTime: flagOf(body['recipientLocalTime']),
  };

  return kind === 'once' ? parseOnce(body, base, zone, now) : parseRecurring(kind, body, base, zone, now);
}

/** Compiles a spec that parseSchedule returned (for example one read back from storage). */
export const compileSchedule = (spec: ScheduleSpec): CampaignSchedule => new CampaignSchedule(spec);

type Base = Pick<ScheduleSpec, 'timeZone' | 'misfire' | 'recipientLocalTime'>;

function parseOnce(body: Record<string, unknown>, base: Base, zone: IANAZone, now: Date): ScheduleSpec {
  if (body['at'] === undefined) throw invalid('schedule.at', 'schedule.at is required for a once schedule');
  const at = parseDateTime(body['at'], zone, 'schedule.at');
  if (at.instant < now.getTime() - ONCE_PAST_TOLERANCE_MS) {
    throw DomainError.invalid('schedule_in_past', `schedule.at ${body['at']} is in the past`, {
      field: 'schedule.at',
    });
  }
  return { type: 'once', at: body['at'] as string, ...base };
}

function parseRecurring(
  kind: 'cron' | 'rrule',
  body: Record<string, unknown>,
  base: Base,
  zone: IANAZone,
  now: Date,
): ScheduleSpec {
  const startAt =
    body['startAt'] === undefined ? null : parseDateTime(body['startAt'], zone, 'schedule.startAt');
  const endAt = body['endAt'] == null ? null : parseDateTime(body['endAt'], zone, 'schedule.endAt');
  if (startAt && endAt && endAt.instant < startAt.instant) {
    throw DomainError.invalid(
      'schedule_end_before_start',
      `schedule.endAt ${body['endAt']} is before schedule.startAt ${body['startAt']}`,
      { field: 'schedule.endAt' },
    );
  }
  // The rule is anchored (INTERVAL, COUNT) on what the user asked for; the schedule starts now.
  const anchor = startAt?.instant ?? now.getTime();
  const start = Math.max(anchor, now.getTime());
  const field = kind === 'cron' ? 'expression' : 'rule';
  const text = body[field];
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_RULE_LENGTH) {
    const example =
      kind === 'cron'
        ? 'a cron expression such as "0 9 * * MON"'
        : 'an RRULE such as "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"';
    throw invalid(
      `schedule.${field}`,
      `schedule.${field} is required: ${example} (at most ${MAX_RULE_LENGTH} characters)`,
    );
  }
  const range = {
    startAt: new Date(start).toISOString(),
    endAt: endAt ? new Date(endAt.instant).toISOString() : null,
  };
  let rule: WallTimeRule;
  let spec: ScheduleSpec;
  if (kind === 'cron') {
    const expression = text.trim().split(/\s+/).join(' ');
    rule = new CronExpression(expression);
    spec = { type: 'cron', expression, ...base, ...range };
  } else {
    const recurrence = new RecurrenceRule(text, zone, wallOf(anchor, zone));
    rule = recurrence;
    spec = { type: 'rrule', rule: recurrence.toString(), ...base, ...range };
  }

  // An RRULE is asked from its DTSTART, so that one whose COUNT is used up is not called empty.
  if (rule.wallsFrom(kind === 'rrule' ? -Infinity : wallOf(start, zone)).next().done) {
    const hint = kind === 'rrule' ? ', or UNTIL before DTSTART' : '';
    throw DomainError.invalid(
      kind === 'cron' ? 'invalid_cron' : 'invalid_rrule',
      `schedule.${field} never matches a date (e.g. 30 February${hint})`,
      { field: `schedule.${field}` },
    );
  }
  assertGaps(rule, wallOf(start, zone), field);
  if (new CampaignSchedule(spec).nextAfter(new Date(start - 1)) === null) {
    throw DomainError.invalid(
      'schedule_in_past',
      `schedule has no occurrence after ${range.startAt} (check schedule.endAt and the rule's COUNT or UNTIL)`,
      { field: endAt ? 'schedule.endAt' : `schedule.${field}` },
    );
  }
  return spec;
}

function assertGaps(rule: WallTimeRule, from: number, textField: string): void {
  let previous: number | null = null;
  let first: number | null = null;
  let seen = 0;
  for (const wall of rule.wallsFrom(from)) {
    first ??= wall;
    if (previous !== null && wall - previous < MIN_OCCURRENCE_GAP_MS) {
      const minutes = Math.round((wall - previous) / 60_000);
      throw DomainError.invalid(
        'schedule_too_frequent',
        `schedule.${textField} runs ${minutes} minute(s) apart; campaign occurrences must be at least an hour apart`,
        { field: `schedule.${textField}` },
      );
    }
    previous = wall;
    if (++seen >= GAP_SAMPLE_MAX || wall - first > GAP_SAMPLE_SPAN_MS) return;
  }
}

function misfireOf(value: unknown): MisfirePolicy {
  if (value === undefined) return 'run_once';
  if (typeof value === 'string' && (MISFIRE_POLICIES as readonly string[]).includes(value))
    return value as MisfirePolicy;
  throw invalid('schedule.misfire', `schedule.misfire must be one of ${MISFIRE_POLICIES.join(', ')}`);
}

function flagOf(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  throw invalid('schedule.recipientLocalTime', 'schedule.recipientLocalTime must be true or false');
}
