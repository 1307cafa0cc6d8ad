import { formErrors, type ApiProblem, type FormErrors } from '../api/api-error.mapper';
import type { components } from '../api/schema';

type Schemas = components['schemas'];
export type Webhook = Schemas['WebhookDto'];
export type CreateWebhookBody = Schemas['CreateWebhookDto'];
export type UpdateWebhookBody = Schemas['UpdateWebhookDto'];

export type WebhookField = 'url' | 'events' | 'description' | 'ordering';
export const WEBHOOK_FIELDS: readonly WebhookField[] = ['url', 'events', 'description', 'ordering'];

/** What the endpoint form holds: text as typed, so that a failed save keeps it. */
export interface WebhookForm {
  url: string;
  /** Event types and patterns, separated by commas, spaces or lines. */
  events: string;
  description: string;
  ordering: 'none' | 'chat';
  enabled: boolean;
}

export const EMPTY_WEBHOOK_FORM: WebhookForm = {
  url: '',
  events: '*',
  description: '',
  ordering: 'none',
  enabled: true,
};

export function formOf(webhook: Webhook): WebhookForm {
  return {
    url: webhook.url,
    events: webhook.events.join(', '),
    description: webhook.description ?? '',
    ordering: webhook.ordering,
    enabled: webhook.status === 'enabled',
  };
}

/** The patterns of the events field, in the order typed, each once. */
export function parseEvents(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

export function createBody(form: WebhookForm): CreateWebhookBody {
  const description = form.description.trim();
  return {
    url: form.url.trim(),
    events: parseEvents(form.events),
    ordering: form.ordering,
    ...(description ? { description } : {}),
  };
}

/**
 * The change of an endpoint. Custom headers and the connection filter are not on the form and so
 * are left out (the API keeps what it has); an empty description removes it.
 */
export function updateBody(form: WebhookForm): UpdateWebhookBody {
  return {
    url: form.url.trim(),
    events: parseEvents(form.events),
    ordering: form.ordering,
    description: form.description.trim(),
    enabled: form.enabled,
  };
}

/** Codes the API gives about one field of the form (the SSRF refusals are the URL's). */
const FIELD_CODES: Readonly<Record<string, WebhookField>> = {
  invalid_webhook_url: 'url',
  webhook_url_forbidden: 'url',
  unknown_event_type: 'events',
};

/** Places a failed save's problem next to its field; an unknown event type is named. */
export function webhookFormErrors(problem: ApiProblem): FormErrors<WebhookField> {
  const errors = formErrors(problem, WEBHOOK_FIELDS, {
    codes: FIELD_CODES,
    labels: { url: 'URL', events: 'Events' },
  });
  const unknown = (problem.details as { unknown?: unknown } | undefined)?.unknown;
  if (problem.code === 'unknown_event_type' && Array.isArray(unknown) && unknown.length) {
    errors.fields.events =
      `No event type matches ${unknown.join(', ')}. ` +
      'Use exact types (message.received), prefixes (message.*) or * for all.';
  }
  return errors;
}
