import type { EventDefinition } from './event-catalog';
import { defineEvent, ISO, obj } from './catalog-schema.util';

/**
 * Events of the webhook feature itself. `webhook.test` is sent to one endpoint on request
 * (POST /v1/webhooks/:id/test) through the normal delivery path; `webhook.endpoint.disabled`
 * tells the account's other endpoints (and the pull API) that an endpoint stopped receiving.
 */

export const WEBHOOK_DISABLE_REASONS = ['gone', 'failing', 'manual'] as const;
export type WebhookDisableReason = (typeof WEBHOOK_DISABLE_REASONS)[number];

export interface WebhookTestData {
  endpointId: string;
  message: string;
  requestedAt: string;
}

export interface WebhookEndpointDisabledData {
  endpointId: string;
  url: string;
  reason: WebhookDisableReason;
  disabledAt: string;
  lastStatusCode?: number;
  lastError?: string;
}

export interface WebhookEventDataMap {
  'webhook.test': WebhookTestData;
  'webhook.endpoint.disabled': WebhookEndpointDisabledData;
}

export const WEBHOOK_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  defineEvent({
    type: 'webhook.test',
    version: 1,
    description:
      'A test delivery requested with POST /v1/webhooks/:id/test; sent only to that endpoint, whatever its event filter.',
    orderingKey: 'account',
    dataSchema: obj(
      {
        endpointId: { type: 'string' },
        message: { type: 'string' },
        requestedAt: ISO,
      },
      ['endpointId', 'message', 'requestedAt'],
    ),
    example: {
      endpointId: 'whk_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
      message: 'This is a test event from WhatsApp Web Bot',
      requestedAt: '2026-12-01T10:00:00.000Z',
    },
  }),
  defineEvent({
    type: 'webhook.endpoint.disabled',
    version: 1,
    description:
      'A webhook endpoint was disabled: it answered 410 Gone (`gone`), failed every delivery for the auto-disable period (`failing`, 5 days by default), or was disabled with PATCH (`manual`). Re-enable it with PATCH {"enabled": true}.',
    orderingKey: 'account',
    dataSchema: obj(
      {
        endpointId: { type: 'string' },
        url: { type: 'string' },
        reason: { type: 'string', enum: [...WEBHOOK_DISABLE_REASONS] },
        disabledAt: ISO,
        lastStatusCode: { type: 'integer' },
        lastError: { type: 'string' },
      },
      ['endpointId', 'url', 'reason', 'disabledAt'],
    ),
    example: {
      endpointId: 'whk_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
      url: 'https://example.com/hooks/whatsapp',
      reason: 'gone',
      disabledAt: '2026-12-01T10:00:00.000Z',
      lastStatusCode: 410,
    },
  }),
];
