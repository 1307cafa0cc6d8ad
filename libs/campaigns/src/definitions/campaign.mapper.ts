import { PACING_LIMITS, PacingSettings } from '../pacing';
import type { ScheduleSpec } from '../schedule';
import type { CampaignAudience, CampaignRecord } from './campaign.schema';
import type { CampaignStatus, CampaignViewState } from './campaign-status.policy';
import type { LastRunView } from './last-run.policy';

/** A campaign as the API shows it. */
export interface CampaignView {
  id: string;
  name: string;
  connectionIds: string[];
  templateId: string;
  variables: Record<string, unknown>;
  audience: CampaignAudience;
  /** As stored: parseSchedule's output, defaults written out. */
  schedule: ScheduleSpec;
  /** The effective settings (defaults merged in). */
  pacing: PacingSettings;
  /** The bounds pacing is checked against, so a client can show them. */
  pacingLimits: typeof PACING_LIMITS;
  state: CampaignViewState;
  nextRunAt: string | null;
  /** The run with the latest occurrence, scheduled or manual; null before the first. */
  lastRun: LastRunView | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export function toCampaignView(
  record: CampaignRecord,
  status: CampaignStatus,
  lastRun: LastRunView | null,
): CampaignView {
  return {
    id: record._id,
    name: record.name,
    connectionIds: [...record.connectionIds],
    templateId: record.templateId,
    variables: record.variables,
    audience: { tags: [...record.audience.tags], contactIds: [...record.audience.contactIds] },
    schedule: record.schedule,
    pacing: record.pacing,
    pacingLimits: PACING_LIMITS,
    state: status.state,
    nextRunAt: status.nextRunAt?.toISOString() ?? null,
    lastRun,
    revision: record.revision,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}
