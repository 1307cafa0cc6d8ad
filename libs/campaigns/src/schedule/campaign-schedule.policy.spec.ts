import { EARLIEST_OFFSET_MS, LATEST_OFFSET_MS, MISFIRE_GRACE_MS } from './campaign-schedule.policy';
import { compileSchedule, parseSchedule } from './schedule.policy';

/** The fake clock: every test passes its own "now"; nothing reads the real time. */
const NOW = new Date('2026-01-01T00:00:00Z');
const schedule = (input: object, now = NOW) => compileSchedule(parseSchedule(input, now));
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (text: string) => new Date(text);

describe('CampaignSchedule', () => {
  describe('weekly Monday 09:00 in Europe/Berlin', () => {
    const rrule = schedule({
      type: 'rrule',
      rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
      timeZone: 'Europe/Berlin',
    });
    const cron = schedule({ type: 'cron', expression: '0 9 * * MON', timeZone: 'Europe/Berlin' });

    it.each([
      ['rrule', rrule],
      ['cron', cron],
    ])('%s: 08:00Z in winter, 07:00Z in summer, across the March change', (_name, s) => {
      expect(iso(s.between(at('2026-03-16T00:00:00Z'), at('2026-04-07T00:00:00Z'), 10))).toEqual([
        '2026-03-16T08:00:00.000Z',
        '2026-03-23T08:00:00.000Z',
        '2026-03-30T07:00:00.000Z',
        '2026-04-06T07:00:00.000Z',
      ]);
    });

    it.each([
      ['rrule', rrule],
      ['cron', cron],
    ])('%s: back to 08:00Z after the October change', (_name, s) => {
      expect(iso(s.between(at('2026-10-12T00:00:00Z'), at('2026-11-03T00:00:00Z'), 10))).toEqual([
        '2026-10-12T07:00:00.000Z',
        '2026-10-19T07:00:00.000Z',
        '2026-10-26T08:00:00.000Z',
        '2026-11-02T08:00:00.000Z',
      ]);
    });

    it('nextAfter is strictly after t', () => {
      expect(rrule.nextAfter(at('2026-03-30T07:00:00Z'))?.toISOString()).toBe('2026-04-06T07:00:00.000Z');
      expect(rrule.nextAfter(at('2026-03-30T06:59:59.999Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    });

    it('occurrence ids are the wall time in the campaign zone', () => {
      expect(rrule.occurrenceId(at('2026-03-30T07:00:00Z'))).toBe('2026-03-30T09:00');
      expect(cron.occurrenceId(at('2026-03-23T08:00:00Z'))).toBe('2026-03-23T09:00');
      expect(() => rrule.occurrenceId(at('2026-03-30T08:00:00Z'))).toThrow(
        expect.objectContaining({ code: 'not_an_occurrence' }),
      );
    });
  });

  it('America/New_York follows its own DST dates (second Sunday of March, first of November)', () => {
    const s = schedule({ type: 'cron', expression: '0 9 * * 1', timeZone: 'America/New_York' });
    expect(iso(s.between(at('2026-03-01T00:00:00Z'), at('2026-03-10T00:00:00Z'), 5))).toEqual([
      '2026-03-02T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
    expect(iso(s.between(at('2026-10-25T00:00:00Z'), at('2026-11-03T00:00:00Z'), 5))).toEqual([
      '2026-10-26T13:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
    ]);
  });

  it('Asia/Kolkata (+05:30, no DST) is 03:30Z all year', () => {
    const s = schedule({
      type: 'rrule',
      rule: 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9',
      timeZone: 'Asia/Kolkata',
    });
    const dates = s.between(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 20);
    expect(dates).toHaveLength(12);
    expect(new Set(dates.map((d) => d.toISOString().slice(11)))).toEqual(new Set(['03:30:00.000Z']));
  });

  describe('DST rules', () => {
    const daily = schedule({ type: 'cron', expression: '30 2 * * *', timeZone: 'Europe/Berlin' });

    it('a wall time skipped by spring forward moves forward by the gap (02:30 -> 03:30 CEST)', () => {
      expect(iso(daily.between(at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'), 5))).toEqual([
        '2026-03-28T01:30:00.000Z',
        '2026-03-29T01:30:00.000Z', // 03:30 CEST
        '2026-03-30T00:30:00.000Z',
      ]);
      expect(daily.occurrenceId(at('2026-03-29T01:30:00Z'))).toBe('2026-03-29T02:30');
    });

    it('a repeated wall time runs once, at its first instant (02:30 CEST, not 02:30 CET)', () => {
      expect(iso(daily.between(at('2026-10-24T00:00:00Z'), at('2026-10-27T00:00:00Z'), 5))).toEqual([
        '2026-10-24T00:30:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-26T01:30:00.000Z',
      ]);
      expect(daily.nextAfter(at('2026-10-25T00:30:00Z'))?.toISOString()).toBe('2026-10-26T01:30:00.000Z');
    });

    it('two wall times that land on one instant fire once', () => {
      const s = schedule({ type: 'cron', expression: '30 2,3 * * *', timeZone: 'Europe/Berlin' });
      expect(iso(s.between(at('2026-03-29T00:00:00Z'), at('2026-03-29T12:00:00Z'), 5))).toEqual([
        '2026-03-29T01:30:00.000Z',
      ]);
      expect(s.occurrenceId(at('2026-03-29T01:30:00Z'))).toBe('2026-03-29T02:30');
    });

    it('hourly wall times through a fall-back night never repeat an instant', () => {
      const s = schedule({ type: 'cron', expression: '0 1,2,3 * * *', timeZone: 'Europe/Berlin' });
      expect(iso(s.between(at('2026-10-24T22:00:00Z'), at('2026-10-25T06:00:00Z'), 10))).toEqual([
        '2026-10-24T23:00:00.000Z',
        '2026-10-25T00:00:00.000Z',
        '2026-10-25T02:00:00.000Z',
      ]);
    });
  });

  it('a cron with ranges and steps', () => {
    const s = schedule({ type: 'cron', expression: '0 8-18/5 * * MON-FRI', timeZone: 'UTC' });
    expect(iso(s.between(at('2026-01-02T00:00:00Z'), at('2026-01-06T00:00:00Z'), 10))).toEqual([
      '2026-01-02T08:00:00.000Z', // Friday
      '2026-01-02T13:00:00.000Z',
      '2026-01-02T18:00:00.000Z',
      '2026-01-05T08:00:00.000Z', // Monday
      '2026-01-05T13:00:00.000Z',
      '2026-01-05T18:00:00.000Z',
    ]);
    const quarterly = schedule({ type: 'cron', expression: '15 9 1,15 */3 *', timeZone: 'UTC' });
    expect(iso(quarterly.between(at('2026-01-01T00:00:00Z'), at('2026-05-01T00:00:00Z'), 10))).toEqual([
      '2026-01-01T09:15:00.000Z',
      '2026-01-15T09:15:00.000Z',
      '2026-04-01T09:15:00.000Z',
      '2026-04-15T09:15:00.000Z',
    ]);
  });

  it('monthly on the last Friday at 18:00 Berlin', () => {
    const s = schedule({
      type: 'rrule',
      rule: 'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18',
      timeZone: 'Europe/Berlin',
    });
    expect(iso(s.between(at('2026-01-01T00:00:00Z'), at('2026-05-01T00:00:00Z'), 10))).toEqual([
      '2026-01-30T17:00:00.000Z',
      '2026-02-27T17:00:00.000Z',
      '2026-03-27T17:00:00.000Z',
      '2026-04-24T16:00:00.000Z',
    ]);
  });

  it('COUNT counts from DTSTART, even occurrences before the schedule was accepted', () => {
    const rule = 'DTSTART;TZID=Europe/Berlin:20260105T090000\nRRULE:FREQ=WEEKLY;COUNT=3';
    const full = schedule({ type: 'rrule', rule, timeZone: 'Europe/Berlin' });
    expect(iso(full.between(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 10))).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-12T08:00:00.000Z',
      '2026-01-19T08:00:00.000Z',
    ]);
    expect(full.nextAfter(at('2026-01-19T08:00:00Z'))).toBeNull();
    const late = schedule({ type: 'rrule', rule, timeZone: 'Europe/Berlin' }, at('2026-01-10T00:00:00Z'));
    expect(iso(late.between(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 10))).toEqual([
      '2026-01-12T08:00:00.000Z',
      '2026-01-19T08:00:00.000Z',
    ]);
  });

  it('UNTIL as a date includes that whole day', () => {
    const s = schedule({
      type: 'rrule',
      rule: 'FREQ=DAILY;BYHOUR=9;UNTIL=20260110',
      timeZone: 'Europe/Berlin',
    });
    const dates = s.between(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 100);
    expect(dates).toHaveLength(10);
    expect(dates.at(-1)?.toISOString()).toBe('2026-01-10T08:00:00.000Z');
    expect(s.nextAfter(at('2026-01-10T08:00:00Z'))).toBeNull();
  });

  it('endAt ends a schedule; startAt begins it', () => {
    const s = schedule({
      type: 'cron',
      expression: '0 9 * * *',
      timeZone: 'Europe/Berlin',
      startAt: '2026-02-01T00:00',
      endAt: '2026-02-03T09:00',
    });
    expect(iso(s.between(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 10))).toEqual([
      '2026-02-01T08:00:00.000Z',
      '2026-02-02T08:00:00.000Z',
      '2026-02-03T08:00:00.000Z',
    ]);
    expect(s.nextAfter(at('2026-02-03T08:00:00Z'))).toBeNull();
  });

  it('INTERVAL counts periods from the anchor: every other Monday', () => {
    const s = schedule({
      type: 'rrule',
      rule: 'DTSTART;TZID=Europe/Berlin:20260105T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
      timeZone: 'Europe/Berlin',
    });
    // Asked from the middle of the year: the alignment must still come from 5 January.
    expect(iso(s.between(at('2026-06-01T00:00:00Z'), at('2026-06-30T00:00:00Z'), 10))).toEqual([
      '2026-06-08T07:00:00.000Z',
      '2026-06-22T07:00:00.000Z',
    ]);
  });

  it('a once schedule has one occurrence', () => {
    const s = schedule({ type: 'once', at: '2026-12-24T09:00', timeZone: 'Europe/Berlin' });
    expect(s.nextAfter(NOW)?.toISOString()).toBe('2026-12-24T08:00:00.000Z');
    expect(s.nextAfter(at('2026-12-24T08:00:00Z'))).toBeNull();
    expect(s.occurrenceId(at('2026-12-24T08:00:00Z'))).toBe('2026-12-24T09:00');
    const utc = schedule({ type: 'once', at: '2026-12-24T08:00:00Z', timeZone: 'America/New_York' });
    expect(utc.occurrenceId(at('2026-12-24T08:00:00Z'))).toBe('2026-12-24T03:00');
  });

  describe('due() after 3 days of downtime (daily 09:00 Berlin, last run Monday 5 January)', () => {
    const input = { type: 'cron', expression: '0 9 * * *', timeZone: 'Europe/Berlin' };
    const last = at('2026-01-05T08:00:00Z');
    const back = at('2026-01-08T10:00:00Z'); // Thursday 11:00 Berlin: 6, 7 and 8 January missed

    it('run_once runs the latest missed occurrence, once', () => {
      const s = schedule({ ...input, misfire: 'run_once' });
      expect(iso(s.due(last, back))).toEqual(['2026-01-08T08:00:00.000Z']);
      expect(s.due(at('2026-01-08T08:00:00Z'), back)).toEqual([]);
    });

    it('skip runs nothing that is more than the grace window late', () => {
      const s = schedule({ ...input, misfire: 'skip' });
      expect(s.due(last, back)).toEqual([]);
      const inGrace = new Date(Date.parse('2026-01-08T08:00:00Z') + MISFIRE_GRACE_MS);
      expect(iso(s.due(last, inGrace))).toEqual(['2026-01-08T08:00:00.000Z']);
      expect(s.due(last, new Date(inGrace.getTime() + 1))).toEqual([]);
    });

    it('the default is run_once; nothing is due before the first occurrence', () => {
      const s = schedule(input);
      expect(s.spec.misfire).toBe('run_once');
      expect(s.due(null, at('2026-01-01T07:59:59Z'))).toEqual([]);
      expect(iso(s.due(null, at('2026-01-01T08:00:00Z')))).toEqual(['2026-01-01T08:00:00.000Z']);
      expect(s.due(at('2026-01-01T08:00:00Z'), at('2026-01-01T08:00:01Z'))).toEqual([]);
    });

    it('a sparse rule down for weeks still finds its latest missed occurrence', () => {
      const s = schedule({ ...input, expression: '0 9 * * MON' });
      expect(iso(s.due(at('2026-01-05T08:00:00Z'), at('2026-01-29T12:00:00Z')))).toEqual([
        '2026-01-26T08:00:00.000Z',
      ]);
    });

    it('a missed once runs late with run_once and not with skip', () => {
      const once = { type: 'once', at: '2026-01-02T09:00', timeZone: 'Europe/Berlin' };
      expect(iso(schedule(once).due(null, back))).toEqual(['2026-01-02T08:00:00.000Z']);
      expect(schedule({ ...once, misfire: 'skip' }).due(null, back)).toEqual([]);
    });
  });

  describe("recipients' local time", () => {
    const s = schedule({
      type: 'rrule',
      rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9',
      timeZone: 'Europe/Berlin',
      recipientLocalTime: true,
    });
    const monday = at('2026-01-12T08:00:00Z');

    it('recipients in Tokyo, Berlin and Los Angeles each get 09:00 local', () => {
      expect(s.localInstant(monday, 'Asia/Tokyo').toISOString()).toBe('2026-01-12T00:00:00.000Z');
      expect(s.localInstant(monday, 'Europe/Berlin').toISOString()).toBe('2026-01-12T08:00:00.000Z');
      expect(s.localInstant(monday, 'America/Los_Angeles').toISOString()).toBe('2026-01-12T17:00:00.000Z');
      expect(s.sendAt(monday, 'Asia/Tokyo').toISOString()).toBe('2026-01-12T00:00:00.000Z');
      expect(s.sendAt(monday, null).toISOString()).toBe('2026-01-12T08:00:00.000Z');
      expect(s.sendAt(monday, 'Not/AZone').toISOString()).toBe('2026-01-12T08:00:00.000Z');
      expect(() => s.localInstant(monday, 'Not/AZone')).toThrow(
        expect.objectContaining({ code: 'invalid_time_zone' }),
      );
    });

    it('the run window spans UTC+14 to UTC-12 and holds every zone', () => {
      const w = s.runWindow(monday);
      expect(w.first.toISOString()).toBe('2026-01-11T19:00:00.000Z');
      expect(w.last.toISOString()).toBe('2026-01-12T21:00:00.000Z');
      expect(w.last.getTime() - w.first.getTime()).toBe(EARLIEST_OFFSET_MS + LATEST_OFFSET_MS);
      for (const zone of Intl.supportedValuesOf('timeZone')) {
        const t = s.localInstant(monday, zone).getTime();
        expect([zone, t >= w.first.getTime() && t <= w.last.getTime()]).toEqual([zone, true]);
      }
    });

    it('the run is due from its first zone on (Kiritimati, 14 hours ahead)', () => {
      expect(s.startsAt(monday).toISOString()).toBe('2026-01-11T19:00:00.000Z');
      expect(s.due(at('2026-01-05T08:00:00Z'), at('2026-01-11T18:59:59Z'))).toEqual([]);
      expect(iso(s.due(at('2026-01-05T08:00:00Z'), at('2026-01-11T19:00:00Z')))).toEqual([
        monday.toISOString(),
      ]);
    });

    it('a wall time the campaign zone skipped keeps its wall time elsewhere', () => {
      const night = schedule({
        type: 'cron',
        expression: '30 2 * * *',
        timeZone: 'Europe/Berlin',
        recipientLocalTime: true,
      });
      const occurrence = at('2026-03-29T01:30:00Z'); // 03:30 CEST in Berlin
      expect(night.localInstant(occurrence, 'Asia/Tokyo').toISOString()).toBe('2026-03-28T17:30:00.000Z');
      expect(night.localInstant(occurrence, 'Europe/Berlin').toISOString()).toBe(occurrence.toISOString());
    });

    it('without recipientLocalTime the window is the occurrence itself', () => {
      const plain = schedule({ type: 'cron', expression: '0 9 * * MON', timeZone: 'Europe/Berlin' });
      expect(plain.runWindow(monday)).toEqual({ first: monday, last: monday });
      expect(plain.sendAt(monday, 'Asia/Tokyo')).toEqual(monday);
    });
  });

  it('between honours its limit and is empty for a limit below 1', () => {
    const s = schedule({ type: 'cron', expression: '0 * * * *', timeZone: 'UTC' });
    expect(s.between(NOW, at('2026-02-01T00:00:00Z'), 3)).toHaveLength(3);
    expect(s.between(NOW, at('2026-02-01T00:00:00Z'), 0)).toEqual([]);
  });
});
