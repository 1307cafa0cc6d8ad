import { DomainError } from '@wwb/runtime';
import { compileBusinessHours, describeBusinessHours } from './business-hours.policy';
import { BusinessHours } from './rule.model';

const weekdays = [{ from: '09:00', to: '17:30' }];
const berlin: BusinessHours = {
  timeZone: 'Europe/Berlin',
  weekly: {
    mon: weekdays,
    tue: weekdays,
    wed: weekdays,
    thu: weekdays,
    fri: weekdays,
    sun: [{ from: '01:00', to: '04:00' }],
  },
  holidays: ['2026-12-25'],
};

const at = (hours: BusinessHours, iso: string) => compileBusinessHours(hours).at(new Date(iso));

const codeOf = (hours: BusinessHours): string | undefined => {
  try {
    compileBusinessHours(hours);
  } catch (err) {
    return (err as DomainError).code;
  }
  return undefined;
};

describe('business hours', () => {
  it('reads the weekly hours in the zone', () => {
    // Monday 2026-06-15: Berlin is UTC+2
    expect(at(berlin, '2026-06-15T06:59:00Z')).toEqual({ open: false, holiday: false, local: 'Mon 08:59' });
    expect(at(berlin, '2026-06-15T07:00:00Z')).toEqual({ open: true, holiday: false, local: 'Mon 09:00' });
    expect(at(berlin, '2026-06-15T15:29:00Z').open).toBe(true);
    expect(at(berlin, '2026-06-15T15:30:00Z').open).toBe(false); // 17:30 is the end, exclusive
    expect(at(berlin, '2026-06-13T08:15:00Z')).toEqual({ open: false, holiday: false, local: 'Sat 10:15' });
  });

  it('follows the spring-forward change (2026-03-29, Europe/Berlin)', () => {
    // Friday before the change: UTC+1, 09:00 local = 08:00 UTC
    expect(at(berlin, '2026-03-27T08:00:00Z').open).toBe(true);
    expect(at(berlin, '2026-03-27T07:59:00Z').open).toBe(false);
    // Sunday 01:00-04:00 local: 00:30 UTC is 01:30 CET (open); 01:30 UTC is 03:30 CEST (open);
    // 02:00 UTC is 04:00 CEST (closed), though only two real hours passed since 01:00 local
    expect(at(berlin, '2026-03-29T00:30:00Z')).toMatchObject({ open: true, local: 'Sun 01:30' });
    expect(at(berlin, '2026-03-29T01:30:00Z')).toMatchObject({ open: true, local: 'Sun 03:30' });
    expect(at(berlin, '2026-03-29T02:00:00Z')).toMatchObject({ open: false, local: 'Sun 04:00' });
    // Monday after: UTC+2, 09:00 local = 07:00 UTC
    expect(at(berlin, '2026-03-30T07:00:00Z').open).toBe(true);
    expect(at(berlin, '2026-03-30T06:59:00Z').open).toBe(false);
  });

  it('follows the fall-back change (2026-10-25, Europe/Berlin)', () => {
    expect(at(berlin, '2026-10-23T07:00:00Z').open).toBe(true); // Fri 09:00 CEST
    expect(at(berlin, '2026-10-23T06:59:00Z').open).toBe(false);
    // Sunday 01:00-04:00 local: 03:30 UTC is 04:30 CET (closed); 02:30 UTC is 03:30 CET (open)
    expect(at(berlin, '2026-10-25T02:30:00Z')).toMatchObject({ open: true, local: 'Sun 03:30' });
    expect(at(berlin, '2026-10-25T03:30:00Z')).toMatchObject({ open: false, local: 'Sun 04:30' });
    // Monday after: UTC+1, 09:00 local = 08:00 UTC
    expect(at(berlin, '2026-10-26T08:00:00Z').open).toBe(true);
    expect(at(berlin, '2026-10-26T07:00:00Z').open).toBe(false);
  });

  it('ranges may cross midnight; they belong to the day they start on', () => {
    const night: BusinessHours = { timeZone: 'UTC', weekly: { fri: [{ from: '22:00', to: '02:00' }] } };
    expect(at(night, '2026-06-12T21:59:00Z').open).toBe(false); // Fri
    expect(at(night, '2026-06-12T22:00:00Z').open).toBe(true);
    expect(at(night, '2026-06-13T01:59:00Z')).toMatchObject({ open: true, local: 'Sat 01:59' });
    expect(at(night, '2026-06-13T02:00:00Z').open).toBe(false);
    expect(at(night, '2026-06-13T22:30:00Z').open).toBe(false); // Saturday night has no range
    const toMidnight: BusinessHours = { timeZone: 'UTC', weekly: { fri: [{ from: '18:00', to: '24:00' }] } };
    expect(at(toMidnight, '2026-06-12T23:59:00Z').open).toBe(true);
    expect(at(toMidnight, '2026-06-13T00:00:00Z').open).toBe(false);
  });

  it('holidays close the ranges starting on them (in the zone)', () => {
    const daily = { from: '00:00', to: '24:00' };
    const tokyo: BusinessHours = {
      timeZone: 'Asia/Tokyo',
      weekly: { thu: [daily], fri: [daily], sat: [daily] },
      holidays: ['2026-12-25'],
    };
    // 2026-12-24T16:00Z is Friday 2026-12-25 01:00 in Tokyo: a holiday although it is the 24th in UTC
    expect(at(tokyo, '2026-12-24T16:00:00Z')).toEqual({ open: false, holiday: true, local: 'Fri 01:00' });
    expect(at(tokyo, '2026-12-24T14:00:00Z').open).toBe(true); // Thu 23:00
    expect(at(tokyo, '2026-12-25T15:00:00Z').open).toBe(true); // Sat 00:00
    const night: BusinessHours = {
      timeZone: 'UTC',
      weekly: { thu: [{ from: '22:00', to: '02:00' }], fri: [{ from: '22:00', to: '02:00' }] },
      holidays: ['2026-12-25'],
    };
    expect(at(night, '2026-12-25T01:00:00Z').open).toBe(true); // Thursday's shift runs into the holiday
    expect(at(night, '2026-12-25T23:00:00Z').open).toBe(false); // the holiday's own shift is closed
    expect(at(night, '2026-12-26T01:00:00Z').open).toBe(false);
  });

  it('describes the state', () => {
    const state = at(berlin, '2026-06-13T08:15:00Z');
    expect(describeBusinessHours('Europe/Berlin', state)).toBe(
      'outside business hours (Europe/Berlin, Sat 10:15)',
    );
    expect(describeBusinessHours('Europe/Berlin', at(berlin, '2026-12-25T10:00:00Z'))).toBe(
      'outside business hours (Europe/Berlin, Fri 11:00, holiday)',
    );
  });

  it('refuses bad zones and bad ranges', () => {
    expect(codeOf({ timeZone: 'Mars/Olympus', weekly: {} })).toBe('invalid_time_zone');
    expect(codeOf({ timeZone: '+01:00', weekly: {} })).toBe('invalid_time_zone');
    expect(codeOf({ timeZone: 'UTC', weekly: { mon: [{ from: '9:00', to: '17:00' }] } })).toBe(
      'invalid_business_hours',
    );
    expect(codeOf({ timeZone: 'UTC', weekly: { mon: [{ from: '24:00', to: '17:00' }] } })).toBe(
      'invalid_business_hours',
    );
    expect(codeOf({ timeZone: 'UTC', weekly: { mon: [{ from: '10:00', to: '10:00' }] } })).toBe(
      'invalid_business_hours',
    );
    expect(codeOf({ timeZone: 'UTC', weekly: { mon: [{ from: '10:00', to: '25:00' }] } })).toBe(
      'invalid_business_hours',
    );
    expect(codeOf({ timeZone: 'UTC', weekly: {}, holidays: ['2026-02-30'] })).toBe('invalid_business_hours');
    expect(codeOf({ timeZone: 'UTC', weekly: { mon: [{ from: '10:00', to: '12:00' }] }, holidays: [] })).toBe(
      undefined,
    );
  });
});
