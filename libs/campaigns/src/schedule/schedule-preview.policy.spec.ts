import { DomainError } from '@wwb/runtime';
import { previewSchedule } from './schedule-preview.policy';

const NOW = new Date('2027-03-20T12:00:00Z');

function refusal(input: unknown): DomainError {
  try {
    previewSchedule(input, 5, NOW);
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('previewSchedule', () => {
  it('weekly Monday 09:00 in Berlin across the March DST change: instants move, wall time stays', () => {
    const p = previewSchedule(
      { type: 'rrule', rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9', timeZone: 'Europe/Berlin' },
      3,
      NOW,
    );
    expect(p.timeZone).toBe('Europe/Berlin');
    expect(p.schedule).toMatchObject({ type: 'rrule', startAt: NOW.toISOString(), misfire: 'run_once' });
    expect(p.occurrences).toEqual([
      { at: '2027-03-22T08:00:00.000Z', local: '2027-03-22T09:00', offset: '+01:00' },
      { at: '2027-03-29T07:00:00.000Z', local: '2027-03-29T09:00', offset: '+02:00' },
      { at: '2027-04-05T07:00:00.000Z', local: '2027-04-05T09:00', offset: '+02:00' },
    ]);
  });

  it('cron in New York, five by default when asked for 5', () => {
    const p = previewSchedule(
      { type: 'cron', expression: '30 8 * * *', timeZone: 'America/New_York' },
      5,
      NOW,
    );
    // 12:00Z is 08:00 in New York (EDT since 14 March): 08:30 today is still ahead.
    expect(p.occurrences.map((o) => o.local)).toEqual([
      '2027-03-20T08:30',
      '2027-03-21T08:30',
      '2027-03-22T08:30',
      '2027-03-23T08:30',
      '2027-03-24T08:30',
    ]);
    expect(p.occurrences[0]).toMatchObject({ at: '2027-03-20T12:30:00.000Z', offset: '-04:00' });
  });

  it('a once schedule has one occurrence, even when it is "now" and a few seconds old', () => {
    const p = previewSchedule({ type: 'once', at: '2027-03-20T11:59:30Z', timeZone: 'UTC' }, 5, NOW);
    expect(p.occurrences).toEqual([
      { at: '2027-03-20T11:59:30.000Z', local: '2027-03-20T11:59:30', offset: '+00:00' },
    ]);
  });

  it('stops early when the schedule ends (COUNT), and keeps count within 1..20', () => {
    const counted = previewSchedule(
      { type: 'rrule', rule: 'FREQ=DAILY;COUNT=2;BYHOUR=10', timeZone: 'UTC' },
      20,
      NOW,
    );
    expect(counted.occurrences).toHaveLength(2);
    const daily = { type: 'cron', expression: '0 10 * * *', timeZone: 'UTC' };
    expect(previewSchedule(daily, 500, NOW).occurrences).toHaveLength(20);
    expect(previewSchedule(daily, 0, NOW).occurrences).toHaveLength(1);
  });

  it('refuses what creating a campaign refuses, with the same codes', () => {
    expect(refusal({ type: 'weekly' }).code).toBe('invalid_schedule');
    expect(refusal({ type: 'cron', expression: '0 9 * * *', timeZone: 'Mars/Olympus' }).code).toBe(
      'invalid_time_zone',
    );
    expect(refusal({ type: 'cron', expression: '0 9 31 2 *', timeZone: 'UTC' }).code).toBe('invalid_cron');
    expect(refusal({ type: 'rrule', rule: 'FREQ=SECONDLY', timeZone: 'UTC' }).code).toBe('invalid_rrule');
    expect(refusal({ type: 'cron', expression: '*/5 * * * *', timeZone: 'UTC' }).code).toBe(
      'schedule_too_frequent',
    );
    expect(refusal({ type: 'once', at: '2020-01-01T09:00', timeZone: 'UTC' }).code).toBe('schedule_in_past');
  });
});
