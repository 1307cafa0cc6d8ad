import {
  builderOf,
  builtRule,
  defaultScheduleForm,
  formatInZone,
  scheduleBody,
  scheduleForm,
  timeZoneOptions,
  wallIn,
} from './schedule-form.mapper';

const NOW = new Date('2026-12-01T12:00:00Z');
const form = defaultScheduleForm('Europe/Berlin', NOW);

describe('schedule builder -> API schedule', () => {
  it('starts weekly on Monday 09:00 in the given zone, a once the next day at 09:00', () => {
    expect(scheduleBody(form)).toEqual({
      type: 'rrule',
      rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
      timeZone: 'Europe/Berlin',
      misfire: 'run_once',
      recipientLocalTime: false,
      endAt: null,
    });
    expect(scheduleBody({ ...form, mode: 'once' })).toEqual({
      type: 'once',
      at: '2026-12-02T09:00',
      timeZone: 'Europe/Berlin',
      misfire: 'run_once',
      recipientLocalTime: false,
    });
  });

  it('writes daily, weekly and monthly rules with interval, days in week order and time', () => {
    expect(builtRule({ ...form, mode: 'daily', time: '07:30' })).toBe('FREQ=DAILY;BYHOUR=7;BYMINUTE=30');
    expect(builtRule({ ...form, weekdays: ['FR', 'MO', 'WE'], interval: '2' })).toBe(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0',
    );
    expect(builtRule({ ...form, mode: 'monthly', monthDay: '-1', time: '18:05' })).toBe(
      'FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=18;BYMINUTE=5',
    );
  });

  it('takes cron and RRULE text as typed, with start and end days as wall times in the zone', () => {
    const cron = scheduleBody({ ...form, mode: 'cron', expression: '0 8 * * 1-5', startDate: '2027-01-04' });
    expect(cron).toMatchObject({
      type: 'cron',
      expression: '0 8 * * 1-5',
      startAt: '2027-01-04T00:00',
      endAt: null,
    });
    const rrule = scheduleBody({
      ...form,
      mode: 'rrule',
      rule: 'FREQ=YEARLY;BYHOUR=9',
      endDate: '2027-12-31',
    });
    expect(rrule).toMatchObject({ type: 'rrule', rule: 'FREQ=YEARLY;BYHOUR=9', endAt: '2027-12-31T23:59' });
  });
});

describe('stored schedule -> builder', () => {
  it('reads a stored weekly RRULE back into the builder', () => {
    const stored =
      'DTSTART;TZID=Asia/Tokyo:20261201T120000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=15';
    const f = scheduleForm(
      {
        type: 'rrule',
        rule: stored,
        timeZone: 'Asia/Tokyo',
        misfire: 'skip',
        recipientLocalTime: true,
        startAt: '2026-11-30T00:00:00.000Z',
        endAt: '2027-03-01T14:59:00.000Z',
      },
      NOW,
    );
    expect(f).toMatchObject({
      mode: 'weekly',
      weekdays: ['MO', 'TH'],
      time: '09:15',
      timeZone: 'Asia/Tokyo',
      misfire: 'skip',
      recipientLocalTime: true,
      startDate: '',
      endDate: '2027-03-01',
    });
  });

  it('keeps as text what the builder cannot say (INTERVAL, ordinals, other frequencies)', () => {
    expect(builderOf('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9')).toBeNull();
    expect(builderOf('FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9')).toBeNull();
    expect(builderOf('FREQ=YEARLY;BYHOUR=9')).toBeNull();
    expect(builderOf('FREQ=DAILY;BYHOUR=9,17')).toBeNull();
    expect(builderOf('FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=8')).toEqual({
      mode: 'monthly',
      time: '08:00',
      monthDay: '15',
    });
    const f = scheduleForm(
      {
        type: 'rrule',
        rule: 'RRULE:FREQ=YEARLY;BYHOUR=9',
        timeZone: 'UTC',
        misfire: 'run_once',
        recipientLocalTime: false,
      },
      NOW,
    );
    expect(f).toMatchObject({ mode: 'rrule', rule: 'RRULE:FREQ=YEARLY;BYHOUR=9' });
  });

  it('reads a once given as an instant as wall time in its zone', () => {
    const f = scheduleForm(
      {
        type: 'once',
        at: '2026-12-24T08:00:00Z',
        timeZone: 'Europe/Berlin',
        misfire: 'run_once',
        recipientLocalTime: false,
      },
      NOW,
    );
    expect(f).toMatchObject({ mode: 'once', at: '2026-12-24T09:00' });
  });
});

describe('zones and times', () => {
  it('offers the IANA zones, UTC and the current one', () => {
    const zones = timeZoneOptions('Etc/GMT+5');
    expect(zones).toEqual(expect.arrayContaining(['Europe/Berlin', 'Asia/Tokyo', 'UTC', 'Etc/GMT+5']));
    expect(new Set(zones).size).toBe(zones.length);
  });

  it('shows an instant as a clock in the chosen zone reads it', () => {
    expect(wallIn(new Date('2026-12-14T08:00:00Z'), 'Europe/Berlin')).toBe('2026-12-14T09:00');
    expect(wallIn(new Date('2026-12-14T15:00:00Z'), 'Asia/Tokyo')).toBe('2026-12-15T00:00');
    expect(formatInZone('2026-12-14T00:00:00Z', 'Asia/Tokyo', 'en-US')).toBe(
      'Mon, Dec 14, 2026, 09:00 AM GMT+9',
    );
  });
});
