import {
  copyMondayToWeekdays,
  defaultHours,
  hoursToApi,
  hoursToForm,
  nextRange,
  rangeNote,
  timeZoneOptions,
  withDay,
} from './business-hours-form.mapper';

const api = {
  timeZone: 'Europe/Berlin',
  weekly: {
    mon: [
      { from: '09:00', to: '12:30' },
      { from: '13:30', to: '18:00' },
    ],
    fri: [{ from: '22:00', to: '02:00' }],
    sat: [{ from: '10:00', to: '24:00' }],
  },
  holidays: ['2026-12-25', '2026-12-24'],
};

describe('business hours form', () => {
  it('round-trips the API hours: closed days left out, holidays sorted, 24:00 shown as 00:00', () => {
    const form = hoursToForm(api);
    expect(form.weekly.mon).toHaveLength(2);
    expect(form.weekly.tue).toEqual([]);
    expect(form.weekly.sat).toEqual([{ from: '10:00', to: '00:00' }]);
    expect(hoursToApi(form)).toEqual({
      ok: true,
      hours: { ...api, holidays: ['2026-12-24', '2026-12-25'] },
    });
  });

  it('reads what it cannot use as empty, in the viewer zone', () => {
    const form = hoursToForm({ weekly: { mon: 'x', tue: [{ from: 9 }] }, holidays: 'no' });
    expect(form.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(form.weekly.mon).toEqual([]);
    expect(form.weekly.tue).toEqual([{ from: '', to: '' }]);
    expect(form.holidays).toEqual([]);
    expect(hoursToForm(undefined).weekly.sun).toEqual([]);
  });

  it('sends an end of 00:00 as 24:00, so 00:00-00:00 is the whole day; seconds are dropped', () => {
    const form = withDay(defaultHours('UTC'), 'sun', () => [{ from: '00:00', to: '00:00' }]);
    form.weekly.mon = [{ from: '09:00:00', to: '17:00:00' }];
    const result = hoursToApi(form);
    expect(result.ok && result.hours.weekly).toMatchObject({
      mon: [{ from: '09:00', to: '17:00' }],
      sun: [{ from: '00:00', to: '24:00' }],
    });
    expect(result.ok && 'holidays' in result.hours).toBe(false);
  });

  it('names the day and the range of what is missing or empty', () => {
    const form = defaultHours('UTC');
    form.weekly.tue = [
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '' },
    ];
    expect(hoursToApi(form)).toEqual({
      ok: false,
      error: 'Tuesday (hours 2): choose both a start and an end time.',
    });
    form.weekly.tue = [{ from: '18:00', to: '18:00' }];
    expect(hoursToApi(form)).toEqual({ ok: false, error: 'Tuesday: 18:00 to 18:00 is no time at all.' });
    const holidays = { ...defaultHours('UTC'), holidays: ['2026-12-25', ''] };
    expect(hoursToApi(holidays)).toEqual({ ok: false, error: 'Holiday 2: choose a date.' });
  });

  it('explains ranges that run to or past midnight', () => {
    expect(rangeNote('mon', { from: '09:00', to: '17:00' })).toBeNull();
    expect(rangeNote('mon', { from: '18:00', to: '00:00' })).toBe('Until midnight');
    expect(rangeNote('mon', { from: '00:00', to: '00:00' })).toBe('All day');
    expect(rangeNote('sun', { from: '22:00', to: '02:00' })).toBe('Past midnight: until 02:00 on Monday');
    expect(rangeNote('sun', { from: '', to: '02:00' })).toBeNull();
  });

  it('starts in the given zone on weekdays 9-17; adds, copies and offers zones', () => {
    const form = defaultHours('Asia/Tokyo');
    expect(form.timeZone).toBe('Asia/Tokyo');
    expect(form.weekly.fri).toEqual([{ from: '09:00', to: '17:00' }]);
    expect(form.weekly.sat).toEqual([]);
    expect(nextRange(form, 'sat')).toEqual({ from: '09:00', to: '17:00' });
    expect(nextRange(form, 'mon')).toEqual({ from: '', to: '' });
    const mon = withDay(form, 'mon', () => [
      { from: '08:00', to: '12:00' },
      { from: '13:00', to: '16:00' },
    ]);
    const copied = copyMondayToWeekdays(mon);
    expect(copied.weekly.thu).toEqual(mon.weekly.mon);
    expect(copied.weekly.thu).not.toBe(mon.weekly.mon);
    expect(copied.weekly.sat).toEqual([]);
    expect(form.weekly.mon).toEqual([{ from: '09:00', to: '17:00' }]); // not changed in place
    const zones = timeZoneOptions('Mars/Olympus_Mons');
    expect(zones).toEqual(expect.arrayContaining(['UTC', 'Europe/Berlin', 'Mars/Olympus_Mons']));
    expect([...zones].sort()).toEqual(zones);
  });
});
