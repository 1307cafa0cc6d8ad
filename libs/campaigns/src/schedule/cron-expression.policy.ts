import { DomainError } from '@wwb/runtime';
import { DAY_MS, HOUR_MS, MINUTE_MS, WallMs, startOfDay } from './wall-time.policy';

/** Something that lists wall times: a cron expression or an RRULE. */
export interface WallTimeRule {
  /** Wall times at or after `from`, ascending, without repeats; ends only if the rule does. */
  wallsFrom(from: WallMs): Generator<WallMs, void, undefined>;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  // 7 is Sunday as well as 0, as in every common cron.
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const ITEM = /^(\*|[A-Z0-9]+)(?:-([A-Z0-9]+))?(?:\/(\d+))?$/;

/**
 * A rule that matches nothing would make every search run to its end; no satisfiable cron
 * expression waits longer than the 8 years between two 29 Februaries (2096 -> 2104).
 */
const MAX_EMPTY_DAYS = 9 * 366;

const invalidCron = (expression: string, message: string): DomainError =>
  DomainError.invalid('invalid_cron', `schedule.expression "${expression}": ${message}`, {
    field: 'schedule.expression',
  });

/**
 * A classic 5-field cron expression (minute hour day-of-month month day-of-week) read as wall
 * time in the schedule's zone: lists, ranges, steps ("*\/15", "1-5/2", "5/20") and English names
 * (MON, JAN). As in Vixie cron, when both day fields are restricted a day matching either runs.
 * Quartz extensions (?, L, W, #, seconds, years) and @macros are refused, not guessed.
 */
export class CronExpression implements WallTimeRule {
  private readonly minutes: number[];
  private readonly hours: number[];
  private readonly daysOfMonth: ReadonlySet<number>;
  private readonly months: ReadonlySet<number>;
  private readonly daysOfWeek: ReadonlySet<number>;
  private readonly dayOfMonthStar: boolean;
  private readonly dayOfWeekStar: boolean;

  constructor(readonly expression: string) {
    const parts = expression.trim().split(/\s+/);
    if (parts.length !== 5 || parts[0] === '') {
      throw invalidCron(
        expression,
        `needs 5 fields (minute hour day-of-month month day-of-week), got ${parts.filter(Boolean).length}`,
      );
    }
    const sets = parts.map((part, i) => parseField(expression, part, FIELDS[i]!));
    this.minutes = [...sets[0]!].sort((a, b) => a - b);
    this.hours = [...sets[1]!].sort((a, b) => a - b);
    this.daysOfMonth = sets[2]!;
    this.months = sets[3]!;
    this.daysOfWeek = new Set([...sets[4]!].map((d) => d % 7));
    this.dayOfMonthStar = parts[2]!.startsWith('*');
    this.dayOfWeekStar = parts[4]!.startsWith('*');
  }

  *wallsFrom(from: WallMs): Generator<WallMs, void, undefined> {
    let empty = 0;
    for (let day = startOfDay(from); empty <= MAX_EMPTY_DAYS; day += DAY_MS) {
      if (!this.dayMatches(new Date(day))) {
        empty++;
        continue;
      }
      empty = 0;
      for (const hour of this.hours) {
        for (const minute of this.minutes) {
          const wall = day + hour * HOUR_MS + minute * MINUTE_MS;
          if (wall >= from) yield wall;
        }
      }
    }
  }

  private dayMatches(day: Date): boolean {
    if (!this.months.has(day.getUTCMonth() + 1)) return false;
    const dom = this.daysOfMonth.has(day.getUTCDate());
    const dow = this.daysOfWeek.has(day.getUTCDay());
    // Vixie cron: a day field written with "*" (even "*/10") makes the two fields combine with AND.
    return this.dayOfMonthStar || this.dayOfWeekStar ? dom && dow : dom || dow;
  }
}

function parseField(expression: string, text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.toUpperCase().split(',')) {
    const m = ITEM.exec(item);
    if (!m) throw invalidCron(expression, `${spec.name} "${item}" is not a value, range or step`);
    const [, first, last, step] = m;
    let from = spec.min;
    let to = spec.max;
    if (first !== '*') {
      from = valueOf(expression, first!, spec);
      // "5/20" means from 5 to the end in steps of 20; a lone value is just itself.
      to = last !== undefined ? valueOf(expression, last, spec) : step !== undefined ? spec.max : from;
    } else if (last !== undefined) {
      throw invalidCron(expression, `${spec.name} "${item}" is not a value, range or step`);
    }
    if (from > to) throw invalidCron(expression, `${spec.name} range "${item}" runs backwards`);
    const by = step === undefined ? 1 : Number(step);
    if (!Number.isInteger(by) || by < 1 || by > spec.max) {
      throw invalidCron(expression, `${spec.name} step "${step}" must be between 1 and ${spec.max}`);
    }
    for (let v = from; v <= to; v += by) values.add(v);
  }
  return values;
}

function valueOf(expression: string, token: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(token) ?? -1;
  if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(token)) throw invalidCron(expression, `${spec.name} "${token}" is not a number or name`);
  const value = Number(token);
  if (value < spec.min || value > spec.max) {
    throw invalidCron(expression, `${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}
