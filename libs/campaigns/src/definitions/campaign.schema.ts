import { Schema } from 'mongoose';
import { claimSchema } from '@wwb/infrastructure';
import type { PacingSettings } from '../pacing';
import type { ScheduleSpec } from '../schedule';

export const CAMPAIGN_MODEL = 'Campaign';

/**
 * Written by the API only. `completed` is not a state: a campaign whose schedule has no
 * occurrence left after its last run shows as completed (derived, so the scheduler never writes
 * the campaign document and cannot lose a client's change to FerretDB's read-modify-write).
 */
export const CAMPAIGN_STATES = ['active', 'paused', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Who gets a run: contacts with any of `tags`, plus `contactIds`; opted-out contacts never. */
export interface CampaignAudience {
  tags: string[];
  contactIds: string[];
  /** A bulk send job (kind 'bulk'): its recipients are the job's rows in bulk_rows, not contacts. */
  bulkId?: string;
}

/** A bulk send job (POST /v1/connections/:id/bulk) is stored as a campaign of this kind. */
export const CAMPAIGN_KINDS = ['bulk'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/**
 * A campaign (`_id` = `cmp_<ULID>`): what to send (a template rendered per contact, with static
 * `variables` besides the contact's fields), to whom (audience), from which connections (a
 * recipient always goes through the same one: a stable hash of the contact id), when (schedule)
 * and how fast (pacing, per connection).
 */
export interface CampaignRecord {
  _id: string;
  accountId: string;
  name: string;
  connectionIds: string[];
  templateId: string;
  variables: Record<string, unknown>;
  audience: CampaignAudience;
  schedule: ScheduleSpec;
  pacing: PacingSettings;
  state: CampaignState;
  /** Absent for an ordinary campaign; 'bulk' hides it from the definitions routes but GET/pause/resume/cancel. */
  kind?: CampaignKind;
  /** A bulk job's row counts when it was accepted (rejected rows are stored nowhere else). */
  bulk?: { accepted: number; rejected: number };
  /** +1 on every change; an update is conditioned on the revision it read. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export const CampaignSchema = new Schema<CampaignRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    name: { type: String, required: true },
    connectionIds: { type: [String], required: true },
    templateId: { type: String, required: true },
    variables: { type: Schema.Types.Mixed, required: true },
    audience: { type: Schema.Types.Mixed, required: true },
    schedule: { type: Schema.Types.Mixed, required: true },
    pacing: { type: Schema.Types.Mixed, required: true },
    state: { type: String, required: true, enum: CAMPAIGN_STATES },
    kind: { type: String, required: false, enum: CAMPAIGN_KINDS },
    bulk: { type: Schema.Types.Mixed, required: false },
    revision: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'campaigns', versionKey: false, _id: false, minimize: false },
);
CampaignSchema.index({ accountId: 1, _id: -1 }, { name: 'account_id' });
/** The scheduler: the campaigns that may run. */
CampaignSchema.index({ state: 1 }, { name: 'state' });

export const CAMPAIGN_REVISION_CLAIM_MODEL = 'CampaignRevisionClaim';

/**
 * Who may write a campaign's next revision (`key` = `<campaignId>/r<revision>`, see ClaimStore):
 * FerretDB applies a conditional update as read-modify-write, so two requests that read the same
 * revision would both match it; a unique insert picks exactly one of them.
 */
export const CampaignRevisionClaimSchema = claimSchema('campaign_revision_claims');
