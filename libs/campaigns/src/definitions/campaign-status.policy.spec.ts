import { parseSchedule } from '../schedule';
import { campaignStatus } from './campaign-status.policy';
import type { CampaignState } from './campaign.schema';

const at = (iso: string) => new Date(iso);
// A Wednesday, four days before the change to summer time in Europe/Berlin (29 March 2026).
const created = at('2026-03-25T12:00:00Z');
const weekly = parseSchedule(
  { type: 'rrule', timeZone: 'Europe/Berlin', rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9' },
  created,
);
const campaign = (schedule: ReturnType<typeof parseSchedule>, state: CampaignState = 'active') => ({
  state,
  schedule,
});

describe('campaignStatus', () => {
  it('gives a weekly RRULE its next Monday 09:00 local time, across the DST change', () => {
    expect(campaignStatus(campaign(weekly), null, created)).toEqual({
      state: 'active',
      nextRunAt: at('2026-03-30T07:00:00Z'), // 09:00 CEST
    });
    // After that run the cursor moves on; the next one is a week later.
    expect(campaignStatus(campaign(weekly), at('2026-03-30T07:00:00Z'), at('2026-03-30T07:05:00Z'))).toEqual({
      state: 'active',
      nextRunAt: at('2026-04-06T07:00:00Z'),
    });
  });

  it('shows an occurrence the scheduler has not started yet as the next run (run_once makes it up)', () => {
    // The scheduler was down on Monday: the missed occurrence still runs once.
    expect(campaignStatus(campaign(weekly), null, at('2026-03-30T10:00:00Z')).nextRunAt).toEqual(
      at('2026-03-30T07:00:00Z'),
    );
    const skip = parseSchedule(
      { type: 'rrule', timeZone: 'Europe/Berlin', rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9', misfire: 'skip' },
      created,
    );
    // With skip it is dropped: the next run is the week after.
    expect(campaignStatus(campaign(skip), null, at('2026-03-30T10:00:00Z')).nextRunAt).toEqual(
      at('2026-04-06T07:00:00Z'),
    );
  });

  it('is completed once a one-off ran, not before', () => {
    const once = parseSchedule({ type: 'once', timeZone: 'UTC', at: '2026-03-25T11:59:30Z' }, created);
    // Accepted 30 s in the past ("send now"): due, so not completed although its time has passed.
    expect(campaignStatus(campaign(once), null, created)).toEqual({
      state: 'active',
      nextRunAt: at('2026-03-25T11:59:30Z'),
    });
    expect(campaignStatus(campaign(once), at('2026-03-25T11:59:30Z'), created)).toEqual({
      state: 'completed',
      nextRunAt: null,
    });
  });

  it('is completed when a one-off was missed under misfire skip, and when a recurring one ended', () => {
    const once = parseSchedule(
      { type: 'once', timeZone: 'UTC', at: '2026-03-26T09:00:00Z', misfire: 'skip' },
      created,
    );
    expect(campaignStatus(campaign(once), null, at('2026-03-26T09:04:00Z')).state).toBe('active');
    expect(campaignStatus(campaign(once), null, at('2026-03-26T09:06:00Z')).state).toBe('completed');

    const ending = parseSchedule(
      { type: 'cron', timeZone: 'UTC', expression: '0 9 * * *', endAt: '2026-03-27T10:00:00Z' },
      created,
    );
    expect(campaignStatus(campaign(ending), at('2026-03-26T09:00:00Z'), at('2026-03-26T12:00:00Z'))).toEqual({
      state: 'active',
      nextRunAt: at('2026-03-27T09:00:00Z'),
    });
    expect(campaignStatus(campaign(ending), at('2026-03-27T09:00:00Z'), at('2026-03-27T09:30:00Z'))).toEqual({
      state: 'completed',
      nextRunAt: null,
    });
  });

  it('has no next run while paused or cancelled; cancelled wins over completed', () => {
    expect(campaignStatus(campaign(weekly, 'paused'), null, created)).toEqual({
      state: 'paused',
      nextRunAt: null,
    });
    expect(campaignStatus(campaign(weekly, 'cancelled'), null, created)).toEqual({
      state: 'cancelled',
      nextRunAt: null,
    });
    const once = parseSchedule({ type: 'once', timeZone: 'UTC', at: '2026-03-26T09:00:00Z' }, created);
    const ran = at('2026-03-26T09:00:00Z');
    expect(campaignStatus(campaign(once, 'paused'), ran, created).state).toBe('completed');
    expect(campaignStatus(campaign(once, 'cancelled'), ran, created).state).toBe('cancelled');
  });
});
