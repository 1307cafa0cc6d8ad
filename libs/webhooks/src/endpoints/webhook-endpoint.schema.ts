import { Schema } from 'mongoose';
import type { WebhookDisableReason } from '@wwb/contracts';

export const WEBHOOK_ENDPOINT_MODEL = 'WebhookEndpoint';
export const WEBHOOK_SECRET_MODEL = 'WebhookSecret';
export const WEBHOOK_DISABLE_MODEL = 'WebhookEndpointDisable';
export const WEBHOOK_HEALTH_MODEL = 'WebhookEndpointHealth';
export const WEBHOOK_VERSION_MODEL = 'WebhookEndpointsVersion';

export const ORDERINGS = ['none', 'chat'] as const;
export type Ordering = (typeof ORDERINGS)[number];

export interface HeaderPair {
  name: string;
  value: string;
}

/**
 * An endpoint's settings. Written by the API only (create, PATCH); what the worker learns about
 * an endpoint (disabled, health) lives in documents of their own, because FerretDB loses one of
 * two concurrent updates of a document. Custom headers are a list of pairs: header names may
 * contain '.', which FerretDB refuses as a key.
 */
export interface WebhookEndpointRecord {
  _id: string;
  accountId: string;
  url: string;
  events: string[];
  /** Empty = every connection of the account. */
  connectionIds: string[];
  description?: string;
  headers: HeaderPair[];
  ordering: Ordering;
  createdAt: Date;
  updatedAt: Date;
  /** Creation, or the last re-enable: the start of the auto-disable window. */
  enabledAt: Date;
}

export const WebhookEndpointSchema = new Schema<WebhookEndpointRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    connectionIds: { type: [String], default: [] },
    description: { type: String },
    headers: { type: [{ _id: false, name: String, value: String }], default: [] },
    ordering: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    enabledAt: { type: Date, required: true },
  },
  { collection: 'webhook_endpoints', versionKey: false, _id: false },
);
WebhookEndpointSchema.index({ accountId: 1, _id: 1 }, { name: 'account_id' });

/**
 * Secrets of an endpoint, insert-only: a rotation inserts a new one. The newest signs always;
 * an older one signs too until 24 h after the next one was created.
 */
export interface WebhookSecretRecord {
  _id: string;
  endpointId: string;
  accountId: string;
  secret: string;
  createdAt: Date;
}

export const WebhookSecretSchema = new Schema<WebhookSecretRecord>(
  {
    _id: { type: String, required: true },
    endpointId: { type: String, required: true },
    accountId: { type: String, required: true },
    secret: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'webhook_secrets', versionKey: false, _id: false },
);
WebhookSecretSchema.index({ endpointId: 1 }, { name: 'endpoint' });

/** A disabled endpoint: `_id` = endpoint id, so the first disable wins (unique insert). */
export interface WebhookDisableRecord {
  _id: string;
  accountId: string;
  reason: WebhookDisableReason;
  disabledAt: Date;
  lastStatusCode?: number;
  lastError?: string;
}

export const WebhookDisableSchema = new Schema<WebhookDisableRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    reason: { type: String, required: true },
    disabledAt: { type: Date, required: true },
    lastStatusCode: { type: Number },
    lastError: { type: String },
  },
  { collection: 'webhook_endpoint_disables', versionKey: false, _id: false },
);

/** What workers report about an endpoint, for the auto-disable rule (`_id` = endpoint id). */
export interface WebhookHealthRecord {
  _id: string;
  accountId: string;
  lastSuccessAt?: Date;
  /** First failure after the last success. */
  failingSince?: Date;
  updatedAt: Date;
}

export const WebhookHealthSchema = new Schema<WebhookHealthRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    lastSuccessAt: { type: Date },
    failingSince: { type: Date },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'webhook_endpoint_health', versionKey: false, _id: false },
);

/**
 * One document (`_id` = 'endpoints') whose `version` changes with every change to endpoints,
 * secrets or disables: workers compare it (one small read) instead of reloading everything.
 * Concurrent writers may lose each other's value, but the result always differs from the value
 * before both, which is all a reader needs.
 */
export interface WebhookVersionRecord {
  _id: string;
  version: string;
}

export const WebhookVersionSchema = new Schema<WebhookVersionRecord>(
  { _id: { type: String, required: true }, version: { type: String, required: true } },
  { collection: 'webhook_endpoints_version', versionKey: false, _id: false },
);
