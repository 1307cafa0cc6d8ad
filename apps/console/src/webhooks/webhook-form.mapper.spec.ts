import {
  createBody,
  EMPTY_WEBHOOK_FORM,
  formOf,
  headerRow,
  headersOf,
  parseEvents,
  updateBody,
  webhookFormErrors,
  type Webhook,
} from './webhook-form.mapper';

const webhook: Webhook = {
  id: 'whk_1',
  url: 'https://example.com/hook',
  events: ['message.*', 'connection.status'],
  connectionIds: [],
  description: 'CRM',
  headers: { Authorization: '****ijkl' },
  ordering: 'chat',
  status: 'disabled',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('parseEvents', () => {
  it('splits on commas, spaces and lines, keeping each pattern once', () => {
    expect(parseEvents(' message.*, connection.status\nmessage.*  webhook.test ')).toEqual([
      'message.*',
      'connection.status',
      'webhook.test',
    ]);
    expect(parseEvents('  ')).toEqual([]);
  });
});

describe('the endpoint form', () => {
  it('starts with every event, no ordering, enabled', () => {
    expect(createBody({ ...EMPTY_WEBHOOK_FORM, url: ' https://a.example/x ' })).toEqual({
      url: 'https://a.example/x',
      events: ['*'],
      ordering: 'none',
    });
  });

  it('round-trips an endpoint; an emptied description is sent empty to remove it', () => {
    const form = formOf(webhook);
    expect(form).toEqual({
      url: 'https://example.com/hook',
      events: 'message.*, connection.status',
      description: 'CRM',
      ordering: 'chat',
      enabled: false,
      headers: [{ key: expect.any(Number), name: 'Authorization', value: '****ijkl' }],
    });
    // The masked value goes back as it came, which the API reads as "keep the stored one".
    expect(updateBody({ ...form, description: '  ', enabled: true })).toEqual({
      url: 'https://example.com/hook',
      events: ['message.*', 'connection.status'],
      ordering: 'chat',
      description: '',
      enabled: true,
      headers: { Authorization: '****ijkl' },
    });
    // Removing every row removes every header.
    expect(updateBody({ ...form, headers: [] }).headers).toEqual({});
    expect(createBody({ ...form, description: ' CRM ' }).description).toBe('CRM');
  });
});

describe('custom headers', () => {
  it('sends named rows only, names trimmed, and nothing on create when there are none', () => {
    const rows = [headerRow(' X-Api-Key ', 'k1'), headerRow('', 'orphan'), headerRow('X-Empty', '')];
    expect(headersOf(rows)).toEqual({ 'X-Api-Key': 'k1', 'X-Empty': '' });
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
    const body = createBody({ ...EMPTY_WEBHOOK_FORM, url: 'https://a.example/x', headers: rows });
    expect(body.headers).toEqual({ 'X-Api-Key': 'k1', 'X-Empty': '' });
    expect('headers' in createBody({ ...EMPTY_WEBHOOK_FORM, headers: [headerRow()] })).toBe(false);
  });

  it('lists every refused header next to the headers', () => {
    const errors = webhookFormErrors({
      status: 400,
      code: 'invalid_webhook_header',
      message: 'headers are not acceptable',
      details: [
        '"Host" cannot be set (hop-by-hop, transport or signature header)',
        'at most 20 custom headers',
      ],
    });
    expect(errors).toEqual({
      fields: {
        headers:
          '"Host" cannot be set (hop-by-hop, transport or signature header); At most 20 custom headers',
      },
    });
  });
});

describe('webhookFormErrors', () => {
  it('shows the SSRF refusal and an invalid URL next to the URL field', () => {
    const forbidden = webhookFormErrors({
      status: 400,
      code: 'webhook_url_forbidden',
      message: 'the URL points to a link-local address',
    });
    expect(forbidden).toEqual({ fields: { url: 'The URL points to a link-local address' } });
    expect(
      webhookFormErrors({ status: 400, code: 'invalid_webhook_url', message: 'only http or https' }).fields
        .url,
    ).toBe('Only http or https');
  });

  it('names the event patterns that match nothing', () => {
    const errors = webhookFormErrors({
      status: 400,
      code: 'unknown_event_type',
      message: 'events lists types',
      details: { unknown: ['mesage.*'] },
    });
    expect(errors.fields.events).toMatch(/^No event type matches mesage\.\*\./);
  });

  it('puts validation errors on their fields and the rest on the form', () => {
    const errors = webhookFormErrors({
      status: 400,
      code: 'validation_failed',
      message: 'Request validation failed',
      details: [{ field: 'url', messages: ['url must be a string'] }],
    });
    expect(errors.fields.url).toBe('URL must be a string');
    expect(webhookFormErrors({ status: 403, code: 'forbidden_role', message: 'No' }).form).toBe('No');
  });
});
