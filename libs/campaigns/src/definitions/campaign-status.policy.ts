import { CampaignSchedule, compileSchedule } from '../schedule';
import type { CampaignRecord } from './campaign.schema';

/** The state the API shows: the stored one, or `completed` (derived, see campaignStatus). */
export const CAMPAIGN_VIEW_STATES = ['active', 'paused', 'cancelled', 'completed'] as const;
export type CampaignViewState = (typeof CAMPAIGN_VIEW_STATES)[number];

export interface CampaignStatus {
  state: CampaignViewState;
  /** When the next run is due; null when paused, cancelled or completed. */
  nextRunAt: Date | null;
}

/**
 * Where a campaign stands, from its stored state, the scheduler's cursor (`lastOccurrence`: the
 * last occurrence it started, null before the first) and `now`.
 *
 * Completed means the schedule has nothing left to run: no occurrence after the cursor (or
 * after now when it never ran) and none the scheduler would still start. A paused campaign with
 * nothing left is completed too; a cancelled one stays cancelled.
 */
export function campaignStatus(
  campaign: Pick<CampaignRecord, 'state' | 'schedule'>,
  lastOccurrence: Date | null,
  now: Date,
): CampaignStatus {
  if (campaign.state === 'cancelled') return { state: 'cancelled', nextRunAt: null };
  const next = upcoming(compileSchedule(campaign.schedule), lastOccurrence, now);
  if (next === null) return { state: 'completed', nextRunAt: null };
  if (campaign.state === 'paused') return { state: 'paused', nextRunAt: null };
  return { state: 'active', nextRunAt: next };
}

/**
 * The occurrence the scheduler starts next. One it would start now (a `once` accepted a few
 * seconds in the past, or one missed under misfire `run_once`) comes first: only the next
 * occurrence after now would call such a campaign completed before it ever ran.
 */
function upcoming(schedule: CampaignSchedule, lastOccurrence: Date | null, now: Date): Date | null {
  const [due] = schedule.due(lastOccurrence, now);
  if (due) return due;
  const from = lastOccurrence && lastOccurrence.getTime() > now.getTime() ? lastOccurrence : now;
  return schedule.nextAfter(from);
}
