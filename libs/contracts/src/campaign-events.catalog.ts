import type { EventDefinition } from './event-catalog';
import { defineEvent, ISO, obj, STR } from './catalog-schema.util';

/**
 * Events of campaign runs (@wwb/campaigns): a run started (planned: its audience read and its
 * messages rendered), its progress on each connection, its end, and what happened to each
 * recipient at send time. Recipients skipped when the run was planned are counted in
 * campaign.run.started and listed by the run report, not published one by one.
 */

export const CAMPAIGN_RUN_KINDS = ['scheduled', 'manual'] as const;
export const CAMPAIGN_RUN_OUTCOMES = ['completed', 'cancelled'] as const;

export interface CampaignRunStartedData {
  campaignId: string;
  runId: string;
  kind: (typeof CAMPAIGN_RUN_KINDS)[number];
  /** The occurrence the run is for (the time it was scheduled for; now for a manual run). */
  occurrence: string;
  targeted: number;
  /** Recipients with a message to send. */
  pending: number;
  /** Recipients skipped when planning, by reason (opted_out, template_render_failed, ...). */
  skipped: Record<string, number>;
}

export interface CampaignRunProgressData {
  campaignId: string;
  runId: string;
  /** The share of the run this connection sends. */
  connectionId: string;
  /** Recipients of this share handed to WhatsApp so far, skipped at send time, refused. */
  sent: number;
  skipped: number;
  failed: number;
  /** Recipients of this share still waiting (pacing, quiet hours, their local time). */
  remaining: number;
}

export interface CampaignRunCompletedData {
  campaignId: string;
  runId: string;
  outcome: (typeof CAMPAIGN_RUN_OUTCOMES)[number];
  completedAt: string;
}

interface CampaignRecipientBase {
  campaignId: string;
  runId: string;
  contactId: string;
  chatId: string;
}

export interface CampaignRecipientSentData extends CampaignRecipientBase {
  /** Our id of the message (follow it with message.status or GET .../messages/{messageId}). */
  messageId: string;
}

export interface CampaignRecipientSkippedData extends CampaignRecipientBase {
  /** frequency_capped. */
  reason: string;
}

export interface CampaignRecipientFailedData extends CampaignRecipientBase {
  messageId: string;
  /** The send's refusal code (connection_stopped, upload_not_found, ...). */
  code: string;
}

export interface CampaignEventDataMap {
  'campaign.run.started': CampaignRunStartedData;
  'campaign.run.progress': CampaignRunProgressData;
  'campaign.run.completed': CampaignRunCompletedData;
  'campaign.recipient.sent': CampaignRecipientSentData;
  'campaign.recipient.skipped': CampaignRecipientSkippedData;
  'campaign.recipient.failed': CampaignRecipientFailedData;
}

const INT = { type: 'integer', minimum: 0 };
const COUNTS = { type: 'object', additionalProperties: INT };
const IDS = { campaignId: STR, runId: STR };
const RECIPIENT = { ...IDS, contactId: STR, chatId: { ...STR, description: 'The chat (…@c.us)' } };
const EXAMPLE = {
  campaignId: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
  runId: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8_20261207T0900',
  contactId: 'ctc_01JDQ92A1B2C3D4E5F6G7H8J9K',
  chatId: '15557654321@c.us',
};

export const CAMPAIGN_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  defineEvent({
    type: 'campaign.run.started',
    version: 1,
    description:
      'A campaign run was planned: its audience was read, opted-out contacts and those its template could not be rendered for were skipped, and the rest are being sent, paced per connection.',
    orderingKey: 'account',
    dataSchema: obj(
      {
        ...IDS,
        kind: { type: 'string', enum: CAMPAIGN_RUN_KINDS },
        occurrence: ISO,
        targeted: INT,
        pending: INT,
        skipped: COUNTS,
      },
      ['campaignId', 'runId', 'kind', 'occurrence', 'targeted', 'pending', 'skipped'],
    ),
    example: {
      campaignId: EXAMPLE.campaignId,
      runId: EXAMPLE.runId,
      kind: 'scheduled',
      occurrence: '2026-12-07T08:00:00.000Z',
      targeted: 1200,
      pending: 1150,
      skipped: { opted_out: 42, template_render_failed: 8 },
    },
  }),
  defineEvent({
    type: 'campaign.run.progress',
    version: 1,
    description:
      "A connection's share of a run moved on: published every 25 recipients it handled and when the share is done.",
    orderingKey: 'connection',
    dataSchema: obj({ ...IDS, connectionId: STR, sent: INT, skipped: INT, failed: INT, remaining: INT }, [
      'campaignId',
      'runId',
      'connectionId',
      'sent',
      'skipped',
      'failed',
      'remaining',
    ]),
    example: {
      campaignId: EXAMPLE.campaignId,
      runId: EXAMPLE.runId,
      connectionId: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9',
      sent: 250,
      skipped: 3,
      failed: 1,
      remaining: 896,
    },
  }),
  defineEvent({
    type: 'campaign.run.completed',
    version: 1,
    description:
      'Every recipient of the run was handled (sent, skipped or failed), or the campaign was cancelled (`outcome: cancelled`). Delivery and read statuses keep arriving as message.status.',
    orderingKey: 'account',
    dataSchema: obj({ ...IDS, outcome: { type: 'string', enum: CAMPAIGN_RUN_OUTCOMES }, completedAt: ISO }, [
      'campaignId',
      'runId',
      'outcome',
      'completedAt',
    ]),
    example: {
      campaignId: EXAMPLE.campaignId,
      runId: EXAMPLE.runId,
      outcome: 'completed',
      completedAt: '2026-12-07T11:40:00.000Z',
    },
  }),
  defineEvent({
    type: 'campaign.recipient.sent',
    version: 1,
    description:
      "A recipient's message was accepted for sending (its pacing slot came); message.status follows it by `messageId`.",
    orderingKey: 'chat',
    dataSchema: obj({ ...RECIPIENT, messageId: STR }, [
      'campaignId',
      'runId',
      'contactId',
      'chatId',
      'messageId',
    ]),
    example: { ...EXAMPLE, messageId: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S9' },
  }),
  defineEvent({
    type: 'campaign.recipient.skipped',
    version: 1,
    description:
      'A recipient was skipped when its turn came: `frequency_capped` (the contact had the most campaign messages its frequency cap allows).',
    orderingKey: 'chat',
    dataSchema: obj({ ...RECIPIENT, reason: STR }, ['campaignId', 'runId', 'contactId', 'chatId', 'reason']),
    example: { ...EXAMPLE, reason: 'frequency_capped' },
  }),
  defineEvent({
    type: 'campaign.recipient.failed',
    version: 1,
    description:
      "A recipient's message was refused when its turn came (the connection was stopped or logged out, the template's upload expired, ...): it is not tried again.",
    orderingKey: 'chat',
    dataSchema: obj({ ...RECIPIENT, messageId: STR, code: STR }, [
      'campaignId',
      'runId',
      'contactId',
      'chatId',
      'messageId',
      'code',
    ]),
    example: { ...EXAMPLE, messageId: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S9', code: 'connection_stopped' },
  }),
];
