import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { waitFor } from '@wwb/testing';
import { USER_AGENT } from '@wwb/webhooks';
import { Receiver, Stack, startStack } from './webhook-test.harness';

jest.setTimeout(120_000);

let stack: Stack;
const receiver = new Receiver();

beforeAll(async () => {
  await receiver.start();
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
  await receiver.stop();
});

it('delivers events signed the Standard Webhooks way: both libraries verify the raw bytes', async () => {
  const created = await stack.api.http
    .post('/v1/webhooks')
    .set(stack.auth)
    .send({ url: receiver.url, events: ['*'], headers: { 'X-Tenant': 'acme' }, description: 'all' })
    .expect(201);
  expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32);
  expect(created.body).toMatchObject({
    url: receiver.url,
    events: ['*'],
    status: 'enabled',
    ordering: 'none',
  });

  const events = await stack.publish([
    { type: 'test.happened', data: { text: 'héllo 👋', n: 1 } },
    { type: 'test.happened', chatId: 'chat-1', data: { nested: { a: [1, 2] } } },
  ]);
  await waitFor(() => receiver.requests.length >= 2, { timeoutMs: 30_000, what: '2 deliveries' });

  const wh = new StandardWebhook(created.body.secret);
  const svix = new SvixWebhook(created.body.secret);
  for (const r of receiver.requests) {
    const headers = {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    };
    expect(wh.verify(r.body, headers)).toBeDefined();
    expect(() =>
      svix.verify(r.body, {
        'svix-id': headers['webhook-id'],
        'svix-timestamp': headers['webhook-timestamp'],
        'svix-signature': headers['webhook-signature'],
      }),
    ).not.toThrow();
    expect(r.method).toBe('POST');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['user-agent']).toBe(USER_AGENT);
    expect(r.headers['x-tenant']).toBe('acme');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    // Compact JSON: exactly what JSON.stringify gives, no whitespace added.
    expect(r.body).toBe(JSON.stringify(JSON.parse(r.body)));
  }
  const got = receiver.events();
  expect(got.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
  for (const e of got) expect(typeof e.sequence).toBe('number');
  const tampered = receiver.requests[0]!;
  expect(() =>
    wh.verify(tampered.body.replace('1', '2'), {
      'webhook-id': String(tampered.headers['webhook-id']),
      'webhook-timestamp': String(tampered.headers['webhook-timestamp']),
      'webhook-signature': String(tampered.headers['webhook-signature']),
    }),
  ).toThrow();

  // Attempt records are written in batches (every 50 ms at most).
  const list = await waitFor(
    async () => {
      const res = await stack.api.http.get(`/v1/webhooks/${created.body.id}/deliveries`).set(stack.auth);
      const data = res.body.data as { status: string }[];
      return data.length === 2 && data.every((d) => d.status === 'delivered') ? data : undefined;
    },
    { timeoutMs: 10_000, what: 'deliveries recorded' },
  );
  for (const d of list!) expect(d).toMatchObject({ status: 'delivered', attempts: 1 });

  // A read-modify-write of the endpoint (headers come back masked) keeps the real value.
  const shown = await stack.api.http.get(`/v1/webhooks/${created.body.id}`).set(stack.auth).expect(200);
  expect(shown.body.headers).toEqual({ 'X-Tenant': '****' });
  await stack.api.http
    .patch(`/v1/webhooks/${created.body.id}`)
    .set(stack.auth)
    .send({ headers: shown.body.headers, description: 'all, renamed' })
    .expect(200);
  const [later] = await stack.publish([{ type: 'test.happened', data: { n: 3 } }]);
  await waitFor(() => receiver.requests.some((r) => r.body.includes(later!.id)), {
    timeoutMs: 30_000,
    what: 'delivery after the PATCH',
  });
  expect(receiver.requests.find((r) => r.body.includes(later!.id))!.headers['x-tenant']).toBe('acme');
});
