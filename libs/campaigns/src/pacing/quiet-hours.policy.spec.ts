import { deferForQuietHours, isQuietAt, localDayKey, nextLocalDayStart } from './quiet-hours.policy';

const NIGHT = { start: '21:00', end: '09:00' };
const at = (iso: string): Date => new Date(iso);

describe('deferForQuietHours', () => {
  it('defers 22:30 to 09:00 the next day in the recipient zone', () => {
    expect(deferForQuietHours(at('2025-06-10T22:30:00+02:00'), 'Europe/Berlin', NIGHT)).toEqual(
      at('2025-06-11T09:00:00+02:00'),
    );
  });

  it('works in a +05:30 zone (Asia/Kolkata)', () => {
    expect(deferForQuietHours(at('2025-06-10T22:30:00+05:30'), 'Asia/Kolkata', NIGHT)).toEqual(
      at('2025-06-11T03:30:00Z'),
    );
  });

  it('the same instant is quiet for one recipient and fine for another', () => {
    const instant = at('2025-06-10T17:30:00Z'); // 23:00 in Kolkata, 13:30 in New York
    expect(deferForQuietHours(instant, 'America/New_York', NIGHT)).toEqual(instant);
    expect(deferForQuietHours(instant, 'Asia/Kolkata', NIGHT)).toEqual(at('2025-06-11T09:00:00+05:30'));
  });

  it('after midnight the window ends the same morning', () => {
    expect(deferForQuietHours(at('2025-06-11T07:15:00+02:00'), 'Europe/Berlin', NIGHT)).toEqual(
      at('2025-06-11T09:00:00+02:00'),
    );
  });

  it('start is inside, end is outside', () => {
    const zone = 'Europe/Berlin';
    expect(deferForQuietHours(at('2025-06-10T21:00:00+02:00'), zone, NIGHT)).toEqual(
      at('2025-06-11T09:00:00+02:00'),
    );
    expect(deferForQuietHours(at('2025-06-11T08:59:59.999+02:00'), zone, NIGHT)).toEqual(
      at('2025-06-11T09:00:00+02:00'),
    );
    const nine = at('2025-06-11T09:00:00+02:00');
    expect(deferForQuietHours(nine, zone, NIGHT)).toBe(nine);
    const beforeStart = at('2025-06-10T20:59:59.999+02:00');
    expect(deferForQuietHours(beforeStart, zone, NIGHT)).toBe(beforeStart);
  });

  it('a window within one day (lunch 12:00-14:00)', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(deferForQuietHours(at('2025-06-10T12:30:00Z'), 'UTC', lunch)).toEqual(at('2025-06-10T14:00:00Z'));
    expect(deferForQuietHours(at('2025-06-10T11:59:00Z'), 'UTC', lunch)).toEqual(at('2025-06-10T11:59:00Z'));
    expect(deferForQuietHours(at('2025-06-10T14:00:00Z'), 'UTC', lunch)).toEqual(at('2025-06-10T14:00:00Z'));
  });

  it('across the spring DST change the window still ends at 09:00 local (now +02:00)', () => {
    expect(deferForQuietHours(at('2025-03-29T22:30:00+01:00'), 'Europe/Berlin', NIGHT)).toEqual(
      at('2025-03-30T07:00:00Z'),
    );
  });

  it('across the autumn DST change the window still ends at 09:00 local (now +01:00)', () => {
    expect(deferForQuietHours(at('2025-10-25T22:30:00+02:00'), 'Europe/Berlin', NIGHT)).toEqual(
      at('2025-10-26T08:00:00Z'),
    );
  });

  it('an end time skipped by clocks going forward ends the window at the jump', () => {
    // 2025-03-30 in Berlin: 02:00 +01:00 becomes 03:00 +02:00, so 02:30 never happens.
    const quiet = { start: '22:00', end: '02:30' };
    expect(deferForQuietHours(at('2025-03-30T01:30:00+01:00'), 'Europe/Berlin', quiet)).toEqual(
      at('2025-03-30T01:00:00Z'),
    );
  });

  it('an end time that happens twice (clocks going back) ends the window at the first', () => {
    // 2025-10-26 in Berlin: 02:30 is both 00:30Z (+02:00) and 01:30Z (+01:00).
    const quiet = { start: '22:00', end: '02:30' };
    expect(deferForQuietHours(at('2025-10-25T23:00:00Z'), 'Europe/Berlin', quiet)).toEqual(
      at('2025-10-26T00:30:00Z'),
    );
  });

  it('no quiet hours: the time is kept', () => {
    const t = at('2025-06-10T23:00:00Z');
    expect(deferForQuietHours(t, 'UTC', null)).toBe(t);
    expect(isQuietAt(t, 'UTC', null)).toBe(false);
  });

  it('an unknown zone is 400 invalid_time_zone naming it', () => {
    expect(() => deferForQuietHours(at('2025-06-10T12:00:00Z'), 'Mars/Olympus', NIGHT)).toThrow(
      expect.objectContaining({
        code: 'invalid_time_zone',
        message: expect.stringContaining('Mars/Olympus'),
      }),
    );
  });

  it('isQuietAt reads the recipient wall clock', () => {
    expect(isQuietAt(at('2025-06-10T19:30:00Z'), 'Europe/Berlin', NIGHT)).toBe(true); // 21:30
    expect(isQuietAt(at('2025-06-10T19:30:00Z'), 'America/New_York', NIGHT)).toBe(false); // 15:30
  });
});

describe('nextLocalDayStart / localDayKey', () => {
  it('is local midnight of the next date, also on a 23-hour DST day', () => {
    const t = at('2025-03-30T00:30:00+01:00');
    expect(localDayKey(t, 'Europe/Berlin')).toBe('2025-03-30');
    expect(nextLocalDayStart(t, 'Europe/Berlin')).toEqual(at('2025-03-31T00:00:00+02:00'));
  });

  it('uses the zone date, not the UTC date (Asia/Kolkata)', () => {
    const t = at('2025-06-10T20:00:00Z'); // already 01:30 on the 11th in Kolkata
    expect(localDayKey(t, 'Asia/Kolkata')).toBe('2025-06-11');
    expect(nextLocalDayStart(t, 'Asia/Kolkata')).toEqual(at('2025-06-11T18:30:00Z'));
  });

  it('a day without midnight starts when the clocks jump (America/Santiago)', () => {
    // 2024-09-08: 00:00 -04:00 becomes 01:00 -03:00.
    expect(nextLocalDayStart(at('2024-09-07T12:00:00-04:00'), 'America/Santiago')).toEqual(
      at('2024-09-08T04:00:00Z'),
    );
  });
});
