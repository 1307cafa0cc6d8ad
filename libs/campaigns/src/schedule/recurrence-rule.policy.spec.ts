import { IANAZone } from 'luxon';
import { RecurrenceRule } from './recurrence-rule.policy';
import { formatWall } from './wall-time.policy';

const UTC = IANAZone.create('UTC');
const BERLIN = IANAZone.create('Europe/Berlin');
const wall = (iso: string) => Date.parse(`${iso}Z`);

/** The first `n` wall times of `text` from `from`; DTSTART defaults to 2026-01-01T00:00. */
function walls(text: string, n: number, from = '2026-01-01T00:00', zone = UTC): string[] {
  const out: string[] = [];
  for (const w of new RecurrenceRule(text, zone, wall('2026-01-01T00:00')).wallsFrom(wall(from))) {
    out.push(formatWall(w));
    if (out.length === n) break;
  }
  return out;
}

describe('RecurrenceRule', () => {
  it('monthly on the first Monday (+1MO) and on the last Friday (-1FR)', () => {
    expect(walls('FREQ=MONTHLY;BYDAY=+1MO;BYHOUR=9', 3)).toEqual([
      '2026-01-05T09:00',
      '2026-02-02T09:00',
      '2026-03-02T09:00',
    ]);
    expect(walls('RRULE:FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=9', 3)).toEqual([
      '2026-01-30T09:00',
      '2026-02-27T09:00',
      '2026-03-27T09:00',
    ]);
  });

  it('BYSETPOS picks within each period: the last weekday of the month', () => {
    expect(walls('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17', 3)).toEqual([
      '2026-01-30T17:00',
      '2026-02-27T17:00',
      '2026-03-31T17:00',
    ]);
  });

  it('BYMONTHDAY counts from the end when negative; months without the day are skipped', () => {
    expect(walls('FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9', 3)).toEqual([
      '2026-01-31T09:00',
      '2026-02-28T09:00',
      '2026-03-31T09:00',
    ]);
    expect(walls('FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=9', 3)).toEqual([
      '2026-01-31T09:00',
      '2026-03-31T09:00',
      '2026-05-31T09:00',
    ]);
  });

  it('yearly: BYMONTH with a numbered weekday, and a numbered weekday within the year', () => {
    // US Thanksgiving: the fourth Thursday of November.
    expect(walls('FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;BYHOUR=10', 2)).toEqual([
      '2026-11-26T10:00',
      '2027-11-25T10:00',
    ]);
    expect(walls('FREQ=YEARLY;BYDAY=-1SU;BYHOUR=10', 2)).toEqual(['2026-12-27T10:00', '2027-12-26T10:00']);
  });

  it('parts left out come from DTSTART', () => {
    expect(walls('DTSTART:20260315T083000\nRRULE:FREQ=YEARLY', 2)).toEqual([
      '2026-03-15T08:30',
      '2027-03-15T08:30',
    ]);
    expect(walls('DTSTART:20260107T100000\nRRULE:FREQ=WEEKLY', 2)).toEqual([
      '2026-01-07T10:00',
      '2026-01-14T10:00',
    ]);
    // 08:00 on 7 January is before DTSTART (10:00), so the first is in February.
    expect(walls('DTSTART:20260107T100000\nRRULE:FREQ=MONTHLY;BYHOUR=8', 2)).toEqual([
      '2026-02-07T08:00',
      '2026-03-07T08:00',
    ]);
  });

  it('DAILY with BYDAY filters days; INTERVAL skips periods', () => {
    expect(walls('FREQ=DAILY;BYDAY=SA,SU;BYHOUR=11', 3)).toEqual([
      '2026-01-03T11:00',
      '2026-01-04T11:00',
      '2026-01-10T11:00',
    ]);
    expect(walls('FREQ=DAILY;INTERVAL=3;BYHOUR=6', 3, '2026-01-02T00:00')).toEqual([
      '2026-01-04T06:00',
      '2026-01-07T06:00',
      '2026-01-10T06:00',
    ]);
  });

  it('WKST decides which days share a week when INTERVAL > 1', () => {
    // DTSTART Tuesday 6 January. Weeks from Monday: {Tu 6, Su 11}, then two weeks on {Tu 20, Su 25}.
    const rule = 'DTSTART:20260106T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU';
    expect(walls(rule, 4)).toEqual([
      '2026-01-06T09:00',
      '2026-01-11T09:00',
      '2026-01-20T09:00',
      '2026-01-25T09:00',
    ]);
    // Weeks from Sunday: {Tu 6}, skip {Su 11, Tu 13}, {Su 18, Tu 20}.
    expect(walls(`${rule};WKST=SU`, 3)).toEqual(['2026-01-06T09:00', '2026-01-18T09:00', '2026-01-20T09:00']);
  });

  it('DTSTART in UTC or another zone is read as wall time in the schedule zone', () => {
    expect(walls('DTSTART:20260105T080000Z\nRRULE:FREQ=WEEKLY', 1, '2026-01-01T00:00', BERLIN)).toEqual([
      '2026-01-05T09:00',
    ]);
    expect(
      walls(
        'DTSTART;TZID=America/New_York:20260105T030000\nRRULE:FREQ=DAILY;COUNT=1',
        1,
        '2026-01-01T00:00',
        BERLIN,
      ),
    ).toEqual(['2026-01-05T09:00']);
  });

  it('UNTIL in UTC is inclusive; COUNT stops the rule', () => {
    expect(walls('FREQ=DAILY;BYHOUR=9;UNTIL=20260103T080000Z', 10, '2026-01-01T00:00', BERLIN)).toEqual([
      '2026-01-01T09:00',
      '2026-01-02T09:00',
      '2026-01-03T09:00',
    ]);
    expect(walls('FREQ=DAILY;BYHOUR=9;COUNT=2', 10)).toEqual(['2026-01-01T09:00', '2026-01-02T09:00']);
  });

  it('writes itself out with every default, and that text reads back to the same rule', () => {
    const rule = new RecurrenceRule(
      'FREQ=MONTHLY;BYDAY=-1FR,+2MO;BYHOUR=18;WKST=SU',
      BERLIN,
      wall('2026-01-01T12:34:56'),
    );
    expect(rule.toString()).toBe(
      'DTSTART;TZID=Europe/Berlin:20260101T123500\nRRULE:FREQ=MONTHLY;BYDAY=-1FR,2MO;BYHOUR=18;BYMINUTE=0;WKST=SU',
    );
    expect(new RecurrenceRule(rule.toString(), BERLIN, 0).parts).toEqual(rule.parts);
  });
});
