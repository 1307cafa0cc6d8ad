import { Schema } from 'mongoose';
import { CAMPAIGN_RUN_KINDS } from '@wwb/contracts';

export const CAMPAIGN_RUN_MODEL = 'CampaignRun';
export const CAMPAIGN_RUN_MARK_MODEL = 'CampaignRunMark';
export const CAMPAIGN_RECIPIENT_MODEL = 'CampaignRecipient';
export const CAMPAIGN_SEND_MODEL = 'CampaignSend';
export const CAMPAIGN_DISPATCH_MODEL = 'CampaignDispatch';
export const CONNECTION_PACER_MODEL = 'ConnectionPacer';
export const CAMPAIGN_CURSOR_MODEL = 'CampaignCursor';

export const RUN_KINDS = CAMPAIGN_RUN_KINDS;
export type RunKind = (typeof RUN_KINDS)[number];

/**
 * One occurrence of a campaign (`_id` = runIdOf(campaign, occurrence): `<campaignId>_<occurrence
 * id without separators>`; a manual run `<campaignId>_now<ULID>`). The unique insert is the claim: schedulers racing on several
 * nodes cannot both start an occurrence. Never updated: what happens to a run is recorded as
 * insert-once marks (CampaignRunMarkRecord).
 */
export interface CampaignRunRecord {
  _id: string;
  accountId: string;
  campaignId: string;
  kind: RunKind;
  /** The occurrence (an instant) and its stable id (wall time in the campaign's zone). */
  occurrence: Date;
  occurrenceId: string;
  createdAt: Date;
}

/**
 * A fact about a run, inserted once (`_id` = `<runId>/<mark>`): `planned` (with the counts),
 * `done/<connectionId>` (that connection has nothing left to send), `completed`, `cancelled`.
 * A mark is never rewritten, so concurrent writers lose nothing.
 */
export interface CampaignRunMarkRecord {
  _id: string;
  runId: string;
  mark: string;
  at: Date;
  data?: Record<string, unknown>;
}

export const RECIPIENT_PLAN_STATES = ['pending', 'skipped'] as const;
export type RecipientPlanState = (typeof RECIPIENT_PLAN_STATES)[number];

/** What a recipient is sent: the template rendered for them, as a send request body. */
export interface RecipientMessage {
  to: string;
  type: string;
  text?: string;
  caption?: string;
  media?: { url?: string; uploadId?: string; filename?: string };
}

/**
 * One recipient of a run (`_id` = `<runId>/<contactId>`, unique: a recipient is planned once
 * however often planning is repeated). Written once by the planner: `pending` with the rendered
 * content and the id its message will have, or `skipped` with the reason. What happens next is
 * the send record (CampaignSendRecord) and the message's own statuses.
 */
export interface CampaignRecipientRecord {
  _id: string;
  accountId: string;
  campaignId: string;
  runId: string;
  contactId: string;
  phone: string;
  timeZone: string;
  connectionId: string;
  /** Position in the run (planning order), for paging. */
  seq: number;
  state: RecipientPlanState;
  reason?: string;
  /** The human side of the reason (which variable was missing). */
  detail?: string;
  messageId?: string;
  message?: RecipientMessage;
  /** Not before this instant (the recipient's local time of the occurrence, or the run's start). */
  dueAt: Date;
}

/**
 * A recipient's send, inserted once by the gateway dispatching it (`_id` = the recipient's
 * `_id`): `claimed` right before the message is handed to the send use case (a claimed
 * recipient is never sent again), or `skipped` at send time (frequency cap).
 */
export interface CampaignSendRecord {
  _id: string;
  accountId: string;
  runId: string;
  contactId: string;
  connectionId: string;
  outcome: 'claimed' | 'skipped';
  reason?: string;
  messageId?: string;
  at: Date;
}

/** A connection's share of a run, handed to the gateway that runs the connection (`<runId>/<connectionId>`). */
export interface CampaignDispatchRecord {
  _id: string;
  accountId: string;
  campaignId: string;
  runId: string;
  connectionId: string;
  createdAt: Date;
}

/** A connection's pacer state, written only by the gateway running the connection. */
export interface ConnectionPacerRecord {
  _id: string;
  state: Record<string, unknown>;
  updatedAt: Date;
}

/** The scheduler's position in a campaign (`_id` = campaign id), written by the lease holder only. */
export interface CampaignCursorRecord {
  _id: string;
  lastOccurrence: Date;
}

const opts = { versionKey: false, _id: false, minimize: false } as const;
const str = { type: String, required: true };
const date = { type: Date, required: true };

export const CampaignRunSchema = new Schema<CampaignRunRecord>(
  {
    _id: str,
    accountId: str,
    campaignId: str,
    kind: { type: String, required: true, enum: RUN_KINDS },
    occurrence: date,
    occurrenceId: str,
    createdAt: date,
  },
  { ...opts, collection: 'campaign_runs' },
);
CampaignRunSchema.index({ accountId: 1, campaignId: 1, occurrence: -1 }, { name: 'campaign_occurrence' });

export const CampaignRunMarkSchema = new Schema<CampaignRunMarkRecord>(
  { _id: str, runId: str, mark: str, at: date, data: { type: Schema.Types.Mixed } },
  { ...opts, collection: 'campaign_run_marks' },
);
CampaignRunMarkSchema.index({ runId: 1 }, { name: 'run' });

export const CampaignRecipientSchema = new Schema<CampaignRecipientRecord>(
  {
    _id: str,
    accountId: str,
    campaignId: str,
    runId: str,
    contactId: str,
    phone: str,
    timeZone: str,
    connectionId: str,
    seq: { type: Number, required: true },
    state: { type: String, required: true, enum: RECIPIENT_PLAN_STATES },
    reason: { type: String },
    detail: { type: String },
    messageId: { type: String },
    message: { type: Schema.Types.Mixed },
    dueAt: date,
  },
  { ...opts, collection: 'campaign_recipients' },
);
CampaignRecipientSchema.index({ runId: 1, seq: 1 }, { name: 'run_seq' });
CampaignRecipientSchema.index(
  { runId: 1, connectionId: 1, state: 1, dueAt: 1 },
  { name: 'run_connection_due' },
);

export const CampaignSendSchema = new Schema<CampaignSendRecord>(
  {
    _id: str,
    accountId: str,
    runId: str,
    contactId: str,
    connectionId: str,
    outcome: { type: String, required: true, enum: ['claimed', 'skipped'] },
    reason: { type: String },
    messageId: { type: String },
    at: date,
  },
  { ...opts, collection: 'campaign_sends' },
);
CampaignSendSchema.index({ runId: 1 }, { name: 'run' });
CampaignSendSchema.index({ accountId: 1, contactId: 1, at: -1 }, { name: 'contact_at' });

export const CampaignDispatchSchema = new Schema<CampaignDispatchRecord>(
  { _id: str, accountId: str, campaignId: str, runId: str, connectionId: str, createdAt: date },
  { ...opts, collection: 'campaign_dispatches' },
);
CampaignDispatchSchema.index({ connectionId: 1 }, { name: 'connection' });

export const ConnectionPacerSchema = new Schema<ConnectionPacerRecord>(
  { _id: str, state: { type: Schema.Types.Mixed, required: true }, updatedAt: date },
  { ...opts, collection: 'connection_pacers' },
);

export const CampaignCursorSchema = new Schema<CampaignCursorRecord>(
  { _id: str, lastOccurrence: date },
  { ...opts, collection: 'campaign_cursors' },
);
