import { formErrors, type ApiProblem, type FormErrors } from '../api/api-error.mapper';
import type { components } from '../api/schema';

type Schemas = components['schemas'];
export type Webhook = Schemas['WebhookDto'];
export type CreateWebhookBody = Schemas['CreateWebhookDto'];
export type UpdateWebhookBody = Schemas['UpdateWebhookDto'];

export type WebhookField = 'url' | 'events' | 'description' | 'ordering' | 'headers';
export const WEBHOOK_FIELDS: readonly WebhookField[] = [
  'url',
  'events',
  'description',
  'ordering',
  'headers',
];

/** One custom header as typed; `key` only keeps React's rows apart when one is removed. */
export interface HeaderRow {
  key: number;
  name: string;
  value: string;
}

let nextRowKey = 0;
export const headerRow = (name = '', value = ''): HeaderRow => ({ key: ++nextRowKey, name, value });

/** What the endpoint form holds: text as typed, so that a failed save keeps it. */
export interface WebhookForm {
  url: string;
  /** Event types and patterns, separated by commas, spaces or lines. */
  events: string;
  description: string;
  ordering: 'none' | 'chat';
  enabled: boolean;
  /** Custom headers; an endpoint's come masked from the API and are sent back as they are. */
  headers: HeaderRow[];
}

export const EMPTY_WEBHOOK_FORM: WebhookForm = {
  url: '',
  events: '*',
  description: '',
  ordering: 'none',
  enabled: true,
  headers: [],
};

export function formOf(webhook: Webhook): WebhookForm {
  return {
    url: webhook.url,
    events: webhook.events.join(', '),
    description: webhook.description ?? '',
    ordering: webhook.ordering,
    enabled: webhook.status === 'enabled',
    headers: Object.entries(webhook.headers).map(([name, value]) => headerRow(name, value)),
  };
}

/**
 * The headers object of the rows: names trimmed, rows left without a name dropped. A masked
 * value sent back unchanged keeps the stored one (the API's rule), so showing masks loses nothing.
 */
export function headersOf(rows: readonly HeaderRow[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (name) headers[name] = row.value;
  }
  return headers;
}

/** The patterns of the events field, in the order typed, each once. */
export function parseEvents(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

export function createBody(form: WebhookForm): CreateWebhookBody {
  const description = form.description.trim();
  const headers = headersOf(form.headers);
  return {
    url: form.url.trim(),
    events: parseEvents(form.events),
    ordering: form.ordering,
    ...(description ? { description } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
  };
}

/**
 * The change of an endpoint. The headers replace the stored ones (no rows removes them all); the
 * connection filter is not on the form and so is left out (the API keeps it); an empty
 * description removes it.
 */
export function updateBody(form: WebhookForm): UpdateWebhookBody {
  return {
    url: form.url.trim(),
    events: parseEvents(form.events),
    ordering: form.ordering,
    description: form.description.trim(),
    enabled: form.enabled,
    headers: headersOf(form.headers),
  };
}

/** Codes the API gives about one field of the form (the SSRF refusals are the URL's). */
const FIELD_CODES: Readonly<Record<string, WebhookField>> = {
  invalid_webhook_url: 'url',
  webhook_url_forbidden: 'url',
  unknown_event_type: 'events',
  invalid_webhook_header: 'headers',
};

/** Places a failed save's problem next to its field; an unknown event type is named. */
export function webhookFormErrors(problem: ApiProblem): FormErrors<WebhookField> {
  const errors = formErrors(problem, WEBHOOK_FIELDS, {
    codes: FIELD_CODES,
    labels: { url: 'URL', events: 'Events', headers: 'Headers' },
  });
  const unknown = (problem.details as { unknown?: unknown } | undefined)?.unknown;
  if (problem.code === 'unknown_event_type' && Array.isArray(unknown) && unknown.length) {
    errors.fields.events =
      `No event type matches ${unknown.join(', ')}. ` +
      'Use exact types (message.received), prefixes (message.*) or * for all.';
  }
  const problems = problem.details;
  if (problem.code === 'invalid_webhook_header' && Array.isArray(problems) && problems.length) {
    // The API lists every refused header ("X-A" cannot be set…); show them all, not its summary.
    errors.fields.headers = problems
      .map((p) => String(p))
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('; ');
  }
  return errors;
}
