import { DomainError } from '@wwb/runtime';
import { compileSchedule, parseSchedule } from './schedule.policy';

const NOW = new Date('2026-01-01T12:00:00Z');

/** The DomainError that parsing `input` throws (fails the test if it parses). */
function refusal(input: unknown, now = NOW): DomainError {
  try {
    parseSchedule(input, now);
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

const weekly = { type: 'rrule', rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9', timeZone: 'Europe/Berlin' };
const cron = { type: 'cron', expression: '0 9 * * MON', timeZone: 'Europe/Berlin' };

describe('parseSchedule', () => {
  describe('accepts and writes out defaults', () => {
    it('once: misfire run_once, recipientLocalTime false, at kept as written', () => {
      expect(parseSchedule({ type: 'once', at: '2026-12-24T09:00', timeZone: 'Europe/Berlin' }, NOW)).toEqual(
        {
          type: 'once',
          at: '2026-12-24T09:00',
          timeZone: 'Europe/Berlin',
          misfire: 'run_once',
          recipientLocalTime: false,
        },
      );
    });

    it('cron: startAt defaults to now, whitespace is normalised, the zone gets its proper case', () => {
      expect(
        parseSchedule({ ...cron, expression: ' 0  9 * *   MON ', timeZone: 'europe/berlin' }, NOW),
      ).toEqual({
        type: 'cron',
        expression: '0 9 * * MON',
        timeZone: 'Europe/Berlin',
        misfire: 'run_once',
        recipientLocalTime: false,
        startAt: '2026-01-01T12:00:00.000Z',
        endAt: null,
      });
    });

    it('a start in the past becomes now; a future start and the end are stored as UTC instants', () => {
      expect(parseSchedule({ ...cron, startAt: '2025-06-01T00:00' }, NOW)).toMatchObject({
        startAt: '2026-01-01T12:00:00.000Z',
      });
      const spec = parseSchedule(
        { ...cron, startAt: '2026-02-01T00:00', endAt: '2026-03-01T00:00:00+01:00' },
        NOW,
      );
      expect(spec).toMatchObject({ startAt: '2026-01-31T23:00:00.000Z', endAt: '2026-02-28T23:00:00.000Z' });
    });

    it('rrule: DTSTART, BYHOUR and BYMINUTE are written out, and the result reads back the same', () => {
      const spec = parseSchedule({ ...weekly, misfire: 'skip', recipientLocalTime: true }, NOW);
      expect(spec).toMatchObject({
        type: 'rrule',
        rule: 'DTSTART;TZID=Europe/Berlin:20260101T130000\nRRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
        misfire: 'skip',
        recipientLocalTime: true,
      });
      // Stored and read back a month later: same rule, same occurrences.
      const later = new Date('2026-02-01T00:00:00Z');
      expect(parseSchedule(spec, later)).toMatchObject({ rule: spec.type === 'rrule' ? spec.rule : '' });
      expect(compileSchedule(spec).nextAfter(NOW)?.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    });

    it('an hourly cron is the most frequent allowed', () => {
      expect(parseSchedule({ ...cron, expression: '0 * * * *' }, NOW).type).toBe('cron');
    });
  });

  it.each([
    ['not an object', 'x'],
    ['an array', []],
    ['null', null],
    ['an unknown type', { type: 'hourly', timeZone: 'UTC' }],
    ['an unknown field', { ...cron, every: 'monday' }],
    [
      'startAt on a once',
      { type: 'once', at: '2026-12-24T09:00', timeZone: 'UTC', startAt: '2026-12-01T00:00' },
    ],
    ['no timeZone', { type: 'cron', expression: '0 9 * * *' }],
    ['no at', { type: 'once', timeZone: 'UTC' }],
    ['a date without time', { type: 'once', at: '2026-12-24', timeZone: 'UTC' }],
    ['an impossible date', { type: 'once', at: '2026-02-30T09:00', timeZone: 'UTC' }],
    ['a number for at', { type: 'once', at: 1798099200000, timeZone: 'UTC' }],
    ['a bad startAt', { ...cron, startAt: 'tomorrow' }],
    ['a bad misfire', { ...cron, misfire: 'catch_up' }],
    ['a string flag', { ...cron, recipientLocalTime: 'yes' }],
    ['no expression', { type: 'cron', timeZone: 'UTC' }],
    ['an empty rule', { type: 'rrule', rule: '  ', timeZone: 'UTC' }],
    ['a huge rule', { type: 'rrule', rule: 'FREQ=DAILY;'.repeat(100), timeZone: 'UTC' }],
  ])('invalid_schedule: %s', (_case, input) => {
    const err = refusal(input);
    expect(err).toMatchObject({ kind: 'invalid', code: 'invalid_schedule' });
    expect(err.message).toMatch(/schedule/);
  });

  it('invalid_schedule names the field', () => {
    expect(refusal({ ...cron, misfire: 'later' }).message).toContain('schedule.misfire');
    expect(refusal({ ...cron, every: 1 }).message).toContain('schedule.every');
    expect(refusal({ type: 'once', at: 'x', timeZone: 'UTC' }).message).toContain('schedule.at');
  });

  it.each(['Mars/Olympus', 'CEST', '+02:00', '', 42])('invalid_time_zone: %p', (timeZone) => {
    const err = refusal({ ...cron, timeZone });
    expect(err.code).toBe('invalid_time_zone');
    expect(err.message).toContain('schedule.timeZone');
  });

  it.each([
    ['* * * *', /5 fields/],
    ['0 9 * * MON *', /5 fields/],
    ['61 9 * * *', /minute 61/],
    ['0 24 * * *', /hour 24/],
    ['0 9 0 * *', /day of month 0/],
    ['0 9 * 13 *', /month 13/],
    ['0 9 * * 8', /day of week 8/],
    ['0 9 * * FRI-MON', /backwards/],
    ['0 9 * * MOON', /MOON/],
    ['0 9 ? * MON', /"\?"/],
    ['0 9 L * *', /"L"/],
    ['*/0 9 * * *', /step/],
    ['@weekly', /5 fields/],
    ['0 9 30 2 *', /never matches/],
  ])('invalid_cron: %p', (expression, message) => {
    const err = refusal({ ...cron, expression });
    expect(err.code).toBe('invalid_cron');
    expect(err.message).toMatch(message);
    expect(err.message).toContain('schedule.expression');
  });

  it.each([
    ['FREQ=HOURLY;BYMINUTE=0', /FREQ=HOURLY is not supported/],
    ['FREQ=MINUTELY', /FREQ=MINUTELY is not supported/],
    ['BYDAY=MO;BYHOUR=9', /FREQ is required/],
    ['FREQ=WEEKLY;BYDAY=MO', /BYHOUR is required/],
    ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYSECOND=0', /BYSECOND is not supported/],
    ['FREQ=YEARLY;BYWEEKNO=20;BYHOUR=9', /BYWEEKNO is not supported/],
    ['FREQ=YEARLY;BYYEARDAY=100;BYHOUR=9', /BYYEARDAY is not supported/],
    ['FREQ=WEEKLY;BYDAY=XX;BYHOUR=9', /BYDAY "XX"/],
    ['FREQ=WEEKLY;BYDAY=+1MO;BYHOUR=9', /numbered weekday needs FREQ=MONTHLY or YEARLY/],
    ['FREQ=MONTHLY;BYDAY=6FR;BYHOUR=9', /1\.\.5/],
    ['FREQ=MONTHLY;BYMONTHDAY=32;BYHOUR=9', /BYMONTHDAY value "32"/],
    ['FREQ=WEEKLY;BYMONTHDAY=1;BYHOUR=9', /BYMONTHDAY cannot be used with FREQ=WEEKLY/],
    ['FREQ=DAILY;BYHOUR=24', /BYHOUR value "24"/],
    ['FREQ=DAILY;BYHOUR=9;INTERVAL=0', /INTERVAL value "0"/],
    ['FREQ=DAILY;BYHOUR=9;COUNT=2;UNTIL=20270101', /COUNT and UNTIL/],
    ['FREQ=DAILY;BYHOUR=9;COUNT=1001', /COUNT value "1001" must be a whole number in 1\.\.1000/],
    ['FREQ=DAILY;BYHOUR=9;UNTIL=2027-01-01', /UNTIL "2027-01-01"/],
    ['FREQ=DAILY;BYHOUR=9;FREQ=WEEKLY', /FREQ is given twice/],
    ['FREQ=DAILY;BYHOUR=9;WKST=XY', /WKST "XY"/],
    ['FREQ=DAILY;BYHOUR', /"BYHOUR" is not a KEY=VALUE part/],
    ['DTSTART:20260105T090030\nRRULE:FREQ=DAILY', /seconds must be 00/],
    ['DTSTART:2026-01-05\nRRULE:FREQ=DAILY', /is not DTSTART/],
    ['RRULE:FREQ=DAILY;BYHOUR=9\nEXDATE:20260105T090000', /EXDATE.*not supported/],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=9', /never matches/],
  ])('invalid_rrule: %p', (rule, message) => {
    const err = refusal({ ...weekly, rule });
    expect(err.code).toBe('invalid_rrule');
    expect(err.message).toMatch(message);
    expect(err.message).toContain('schedule.rule');
  });

  it('invalid_time_zone for a DTSTART TZID', () => {
    const err = refusal({ ...weekly, rule: 'DTSTART;TZID=Nowhere/City:20260105T090000\nRRULE:FREQ=WEEKLY' });
    expect(err.code).toBe('invalid_time_zone');
  });

  it('schedule_end_before_start', () => {
    const err = refusal({ ...cron, startAt: '2026-03-01T00:00', endAt: '2026-02-01T00:00' });
    expect(err.code).toBe('schedule_end_before_start');
    expect(err.message).toContain('schedule.endAt');
  });

  describe('schedule_in_past', () => {
    it('a once more than 60 s ago is refused; within 60 s it is accepted', () => {
      expect(refusal({ type: 'once', at: '2026-01-01T11:58:59Z', timeZone: 'UTC' }).code).toBe(
        'schedule_in_past',
      );
      expect(parseSchedule({ type: 'once', at: '2026-01-01T11:59:00Z', timeZone: 'UTC' }, NOW).type).toBe(
        'once',
      );
      // Wall time in the zone: 12:58 in Berlin is 11:58Z.
      expect(refusal({ type: 'once', at: '2026-01-01T12:58', timeZone: 'Europe/Berlin' }).code).toBe(
        'schedule_in_past',
      );
    });

    it('a recurring schedule with nothing left (endAt past, COUNT used up)', () => {
      expect(refusal({ ...cron, endAt: '2025-12-31T00:00' }).code).toBe('schedule_in_past');
      const used = 'DTSTART;TZID=Europe/Berlin:20251201T090000\nRRULE:FREQ=WEEKLY;COUNT=2';
      expect(refusal({ ...weekly, rule: used }).code).toBe('schedule_in_past');
    });
  });

  it.each([
    ['cron every minute', { ...cron, expression: '* * * * *' }, 1],
    ['cron every 30 minutes', { ...cron, expression: '*/30 9-17 * * *' }, 30],
    ['cron 09:00 and 09:59', { ...cron, expression: '0,59 9 * * *' }, 59],
    ['rrule two minutes an hour', { ...weekly, rule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30' }, 30],
    [
      'rrule BYSETPOS picking close ones',
      { ...weekly, rule: 'FREQ=MONTHLY;BYMONTHDAY=1,2;BYHOUR=0,23;BYMINUTE=0,30;BYSETPOS=3,4' },
      30,
    ],
  ])('schedule_too_frequent: %s', (_case, input, minutes) => {
    const err = refusal(input);
    expect(err.code).toBe('schedule_too_frequent');
    expect(err.message).toContain(`${minutes} minute(s) apart`);
  });

  it('BYSETPOS that keeps occurrences an hour or more apart is accepted', () => {
    const input = { ...weekly, rule: 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0,30;BYSETPOS=1' };
    const s = compileSchedule(parseSchedule(input, NOW));
    expect(s.nextAfter(NOW)?.toISOString()).toBe('2026-02-01T08:00:00.000Z');
  });
});
