import { Schema } from 'mongoose';

export const WEBHOOK_DELIVERY_MODEL = 'WebhookDelivery';
export const WEBHOOK_ATTEMPT_MODEL = 'WebhookAttempt';

/**
 * One event to send to one endpoint. Insert-only (FerretDB updates are slow and not atomic):
 * the state of a delivery is the outcome of its last attempt record. `_id` is deterministic
 * (event, endpoint, and the redelivery or replay request), so a fan-out redone after a crash
 * inserts nothing twice. `body` is the exact JSON sent.
 */
export interface WebhookDeliveryRecord {
  _id: string;
  accountId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** `webhook-id`: the same for an event and an endpoint on every attempt, redelivery and replay. */
  webhookId: string;
  /** The events-topic partition of the event's key: the worker owning it sends the delivery. */
  partition: number;
  /** Creation order (ULID): deliveries of one chat are sent in this order. */
  order: string;
  /** The event's ordering key (chat, else connection, else account). */
  orderKey: string;
  connectionId?: string;
  chatId?: string;
  sequence?: number;
  occurredAt: Date;
  createdAt: Date;
  body: string;
  /** Set on a redelivery: the delivery it repeats. */
  redeliveryOf?: string;
  /** Set on redeliveries and replays: the request that created it. */
  jobId?: string;
}

export const WebhookDeliverySchema = new Schema<WebhookDeliveryRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    endpointId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    webhookId: { type: String, required: true },
    partition: { type: Number, required: true },
    order: { type: String, required: true },
    orderKey: { type: String, required: true },
    connectionId: { type: String },
    chatId: { type: String },
    sequence: { type: Number },
    occurredAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    body: { type: String, required: true },
    redeliveryOf: { type: String },
    jobId: { type: String },
  },
  { collection: 'webhook_deliveries', versionKey: false, _id: false },
);
WebhookDeliverySchema.index({ endpointId: 1, _id: -1 }, { name: 'endpoint_id' });
WebhookDeliverySchema.index({ partition: 1, createdAt: 1 }, { name: 'partition_created' });

export const ATTEMPT_OUTCOMES = ['delivered', 'retrying', 'failed', 'cancelled'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * One attempt (or a cancellation) of a delivery, insert-only. `_id` = `<deliveryId>~<n>`, so
 * that an attempt is recorded once. `outcome` is the delivery's state after it: delivered,
 * retrying (at `nextAttemptAt`), failed (schedule exhausted, 410) or cancelled (endpoint
 * disabled, delivery expired).
 */
export interface WebhookAttemptRecord {
  _id: string;
  accountId: string;
  endpointId: string;
  deliveryId: string;
  partition: number;
  n: number;
  at: Date;
  outcome: AttemptOutcome;
  statusCode?: number;
  latencyMs?: number;
  error?: string;
  /** The first 4 KB of the response body. */
  responseBody?: string;
  nextAttemptAt?: Date;
  /** On the first attempt: time from the event to the attempt. */
  firstAttemptDelayMs?: number;
}

export const WebhookAttemptSchema = new Schema<WebhookAttemptRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    endpointId: { type: String, required: true },
    deliveryId: { type: String, required: true },
    partition: { type: Number, required: true },
    n: { type: Number, required: true },
    at: { type: Date, required: true },
    outcome: { type: String, required: true },
    statusCode: { type: Number },
    latencyMs: { type: Number },
    error: { type: String },
    responseBody: { type: String },
    nextAttemptAt: { type: Date },
    firstAttemptDelayMs: { type: Number },
  },
  { collection: 'webhook_attempts', versionKey: false, _id: false },
);
WebhookAttemptSchema.index({ deliveryId: 1 }, { name: 'delivery' });
WebhookAttemptSchema.index({ partition: 1, at: 1 }, { name: 'partition_at' });
WebhookAttemptSchema.index({ endpointId: 1, at: 1 }, { name: 'endpoint_at' });

export const TERMINAL_OUTCOMES: ReadonlySet<AttemptOutcome> = new Set(['delivered', 'failed', 'cancelled']);
