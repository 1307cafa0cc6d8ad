import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { MetricsRegistry } from '@wwb/observability';
import { waitFor } from '@wwb/testing';
import { DnsResolver, ResolvedAddress } from '@wwb/webhooks';
import { accountWithKey, bearer } from '../support/e2e-app';
import { envelope, ReceivedRequest, Receiver, Stack, startStack, startWorker } from './webhook-test.harness';
import { EventPublisher } from '@wwb/kafka';
import { EventEnvelope } from '@wwb/contracts';

jest.setTimeout(120_000);

/** Names the worker resolves in this test: one to loopback, one to the cloud metadata address. */
class FakeDns extends DnsResolver {
  override async resolve(hostname: string): Promise<ResolvedAddress[]> {
    if (hostname === 'loop.test') return [{ address: '127.0.0.1', family: 4 }];
    if (hostname === 'metadata.test') return [{ address: '169.254.169.254', family: 4 }];
    if (hostname === 'mixed.test') {
      return [
        { address: '10.0.0.7', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ];
    }
    return super.resolve(hostname);
  }
}

let stack: Stack;
const receivers: Receiver[] = [];

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
}

/** A fresh account (isolation between tests): its auth header and a publish function. */
async function tenant() {
  const acc = await accountWithKey(stack.api.http, 'enterprise');
  const publisher = stack.api.app.get(EventPublisher);
  return {
    id: acc.id,
    auth: bearer(acc.key),
    async publish(partials: Partial<EventEnvelope>[]): Promise<EventEnvelope[]> {
      const events = partials.map((p) => envelope(acc.id, p));
      await publisher.publish(events);
      return events;
    },
  };
}

async function createEndpoint(auth: Record<string, string>, body: Record<string, unknown>) {
  const res = await stack.api.http.post('/v1/webhooks').set(auth).send(body);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; secret: string };
}

const sigHeaders = (r: ReceivedRequest) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

beforeAll(async () => {
  stack = await startStack({ WEBHOOK_RETRY_SCALE: '0.0005' }, (config) =>
    startWorker(config, { dns: new FakeDns() }),
  );
});

afterAll(async () => {
  await stack?.close();
  await Promise.all(receivers.map((r) => r.stop()));
});

it('retries on the compressed schedule (x0.0005: 2.5 ms, 150 ms, 900 ms, 3.6 s) with the same webhook-id', async () => {
  const t = await tenant();
  const rx = await receiver();
  rx.respond = () => ({ status: 500, body: 'boom' });
  const ep = await createEndpoint(t.auth, { url: rx.url, events: ['*'] });
  await t.publish([{ type: 'test.retry' }]);
  await waitFor(() => rx.requests.length >= 5, { timeoutMs: 30_000, what: '5 attempts' });
  const gaps = rx.requests.slice(1, 5).map((r, i) => r.at - rx.requests[i]!.at);
  const expected = [2.5, 150, 900, 3600];
  gaps.forEach((gap, i) => {
    expect(gap).toBeGreaterThanOrEqual(expected[i]! * 0.8 - 5);
    expect(gap).toBeLessThanOrEqual(expected[i]! * 1.2 + 400);
  });
  expect(new Set(rx.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);

  const list = await stack.api.http
    .get(`/v1/webhooks/${ep.id}/deliveries?status=pending`)
    .set(t.auth)
    .expect(200);
  expect(list.body.data).toHaveLength(1);
  const detail = await stack.api.http
    .get(`/v1/webhooks/${ep.id}/deliveries/${list.body.data[0].id}`)
    .set(t.auth)
    .expect(200);
  expect(detail.body.attemptLog.length).toBeGreaterThanOrEqual(4);
  expect(detail.body.attemptLog[0]).toMatchObject({
    n: 1,
    outcome: 'retrying',
    statusCode: 500,
    responseBody: 'boom',
  });
  expect(detail.body.attemptLog[0].latencyMs).toEqual(expect.any(Number));
  expect(detail.body.attemptLog[0].nextAttemptAt).toEqual(expect.any(String));
  await stack.api.http.patch(`/v1/webhooks/${ep.id}`).set(t.auth).send({ enabled: false }).expect(200);
});

it('honours Retry-After and backs off the endpoint on 503', async () => {
  const t = await tenant();
  const rx = await receiver();
  let first = true;
  rx.respond = () => {
    if (first) {
      first = false;
      return { status: 503, headers: { 'Retry-After': '2' } };
    }
    return { status: 200 };
  };
  await createEndpoint(t.auth, { url: rx.url, events: ['*'] });
  await t.publish([{ type: 'test.retry_after' }]);
  await waitFor(() => rx.requests.length >= 2, { timeoutMs: 20_000, what: 'the retry' });
  expect(rx.requests[1]!.at - rx.requests[0]!.at).toBeGreaterThanOrEqual(1900);
});

it('410 Gone disables the endpoint, tells the account with webhook.endpoint.disabled, and PATCH re-enables it', async () => {
  const t = await tenant();
  const gone = await receiver();
  const watcher = await receiver();
  gone.respond = () => ({ status: 410 });
  const ep = await createEndpoint(t.auth, { url: gone.url, events: ['message.*'] });
  await createEndpoint(t.auth, { url: watcher.url, events: ['webhook.endpoint.disabled'] });
  await t.publish([{ type: 'message.e2e_gone' }]);
  await waitFor(() => watcher.requests.length >= 1, { timeoutMs: 20_000, what: 'the disabled event' });
  const event = watcher.events()[0]!;
  expect(event).toMatchObject({
    type: 'webhook.endpoint.disabled',
    data: { endpointId: ep.id, reason: 'gone', lastStatusCode: 410, url: gone.url },
  });
  const got = await stack.api.http.get(`/v1/webhooks/${ep.id}`).set(t.auth).expect(200);
  expect(got.body).toMatchObject({ status: 'disabled', disabled: { reason: 'gone', lastStatusCode: 410 } });
  expect(gone.requests).toHaveLength(1);

  // Disabled: no delivery; re-enabled: deliveries again.
  await t.publish([{ type: 'message.e2e_while_disabled' }]);
  const test = await stack.api.http.post(`/v1/webhooks/${ep.id}/test`).set(t.auth).expect(409);
  expect(test.body.code).toBe('endpoint_disabled');
  gone.respond = () => ({ status: 200 });
  const enabled = await stack.api.http
    .patch(`/v1/webhooks/${ep.id}`)
    .set(t.auth)
    .send({ enabled: true })
    .expect(200);
  expect(enabled.body.status).toBe('enabled');
  await t.publish([{ type: 'message.e2e_after_enable' }]);
  await waitFor(() => gone.requests.length >= 2, { timeoutMs: 20_000, what: 'delivery after re-enable' });
  expect(gone.events().map((e) => e.type)).toEqual(['message.e2e_gone', 'message.e2e_after_enable']);
});

it('does not follow redirects: a 3xx is a failed attempt', async () => {
  const t = await tenant();
  const rx = await receiver();
  const target = await receiver();
  rx.respond = () => ({ status: 302, headers: { Location: target.url } });
  const ep = await createEndpoint(t.auth, { url: rx.url, events: ['*'] });
  await t.publish([{ type: 'test.redirect' }]);
  await waitFor(() => rx.requests.length >= 2, { timeoutMs: 20_000, what: 'two attempts' });
  expect(target.requests).toHaveLength(0);
  const list = await waitFor(
    async () => {
      const res = await stack.api.http.get(`/v1/webhooks/${ep.id}/deliveries`).set(t.auth);
      return res.body.data?.[0]?.lastStatusCode === 302 ? res : undefined;
    },
    { timeoutMs: 10_000, what: 'the attempt recorded' },
  );
  expect(list!.body.data[0]).toMatchObject({ status: 'pending', lastStatusCode: 302 });
  const detail = await stack.api.http
    .get(`/v1/webhooks/${ep.id}/deliveries/${list!.body.data[0].id}`)
    .set(t.auth);
  expect(detail.body.attemptLog[0].error).toMatch(/redirect not followed/);
  await stack.api.http.delete(`/v1/webhooks/${ep.id}`).set(t.auth).expect(204);
});

it('connects only to checked addresses: a name resolving to metadata or private space gets no request', async () => {
  const t = await tenant();
  const rx = await receiver();
  // The API cannot resolve these names (accepted at creation); the worker's resolver can.
  const meta = await createEndpoint(t.auth, { url: `http://metadata.test:${rx.port}/hook`, events: ['*'] });
  const mixed = await createEndpoint(t.auth, { url: `http://mixed.test:${rx.port}/hook`, events: ['*'] });
  const loop = await createEndpoint(t.auth, { url: `http://loop.test:${rx.port}/hook`, events: ['*'] });
  await t.publish([{ type: 'test.ssrf' }]);
  await waitFor(() => rx.requests.length >= 2, {
    timeoutMs: 20_000,
    what: 'deliveries to allowed addresses',
  });
  await new Promise((r) => setTimeout(r, 500));
  // loop.test -> 127.0.0.1 (allow-listed); mixed.test -> only its allowed address; metadata.test: nothing.
  expect(rx.requests.map((r) => r.headers.host).sort()).toEqual([
    `loop.test:${rx.port}`,
    `mixed.test:${rx.port}`,
  ]);
  const deliveries = await stack.api.http.get(`/v1/webhooks/${meta.id}/deliveries`).set(t.auth).expect(200);
  const detail = await stack.api.http
    .get(`/v1/webhooks/${meta.id}/deliveries/${deliveries.body.data[0].id}`)
    .set(t.auth)
    .expect(200);
  expect(detail.body.attemptLog[0].error).toMatch(/^ssrf_blocked: metadata.test resolves to 169.254.169.254/);
  for (const id of [meta.id, mixed.id, loop.id])
    await stack.api.http.delete(`/v1/webhooks/${id}`).set(t.auth);
});

it('sends webhook.test to the tested endpoint only', async () => {
  const t = await tenant();
  const rx = await receiver();
  const other = await receiver();
  const ep = await createEndpoint(t.auth, { url: rx.url, events: ['message.*'] });
  await createEndpoint(t.auth, { url: other.url, events: ['*'] });
  const res = await stack.api.http.post(`/v1/webhooks/${ep.id}/test`).set(t.auth).expect(202);
  await waitFor(() => rx.requests.length >= 1, { timeoutMs: 20_000, what: 'the test event' });
  expect(rx.events()[0]).toMatchObject({
    id: res.body.eventId,
    type: 'webhook.test',
    data: { endpointId: ep.id },
  });
  // The first attempt may start while the delivery record is being written.
  await waitFor(
    async () =>
      (await stack.api.http.get(`/v1/webhooks/${ep.id}/deliveries/${res.body.deliveryId}`).set(t.auth))
        .status === 200,
    { timeoutMs: 10_000, what: 'the test delivery recorded' },
  );
  await new Promise((r) => setTimeout(r, 500));
  expect(other.requests).toHaveLength(0);
});

it('ordering "chat": one chat stays in order and waits for its failing event; other chats flow', async () => {
  const t = await tenant();
  const rx = await receiver();
  let failuresLeft = 4; // retries after 2.5 ms, 150 ms, 900 ms, 3.6 s
  rx.respond = (r) => {
    const e = JSON.parse(r.body) as EventEnvelope;
    if (e.chatId === 'chat-b' && (e.data as { i: number }).i === 0 && failuresLeft > 0) {
      failuresLeft--;
      return { status: 500 };
    }
    return { status: 200, delayMs: Math.floor(Math.random() * 5) };
  };
  await createEndpoint(t.auth, { url: rx.url, events: ['message.*'], ordering: 'chat' });
  const events: Partial<EventEnvelope>[] = [];
  for (let i = 0; i < 30; i++) events.push({ type: 'message.e2e_order', chatId: 'chat-a', data: { i } });
  for (let i = 0; i < 5; i++) events.push({ type: 'message.e2e_order', chatId: 'chat-b', data: { i } });
  for (let i = 0; i < 30; i++) events.push({ type: 'message.e2e_order', chatId: 'chat-c', data: { i } });
  await t.publish(events);
  await waitFor(() => new Set(rx.events().map((e) => e.id)).size >= 65, {
    timeoutMs: 30_000,
    what: '65 events',
  });
  const delivered = rx.requests.filter((r) => r !== undefined);
  const byChat = (chat: string) =>
    delivered
      .map((r) => JSON.parse(r.body) as EventEnvelope)
      .filter((e) => e.chatId === chat)
      .map((e) => (e.data as { i: number }).i);
  expect(byChat('chat-a')).toEqual([...Array(30).keys()]);
  expect(byChat('chat-c')).toEqual([...Array(30).keys()]);
  expect(byChat('chat-b')).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 4]);
  // The other chats did not wait for chat-b's retries.
  const lastA = Math.max(...delivered.filter((r) => r.body.includes('"chat-a"')).map((r) => r.at));
  const firstB1 = delivered.find((r) => r.body.includes('"chat-b"') && r.body.includes('"i":1'))!.at;
  expect(lastA).toBeLessThan(firstB1);
  // Sequences grow within a chat.
  const seqs = delivered
    .map((r) => JSON.parse(r.body) as EventEnvelope)
    .filter((e) => e.chatId === 'chat-a')
    .map((e) => e.sequence!);
  expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
});

it('rotation: both signatures for 24 h, each secret verifies on its own', async () => {
  const t = await tenant();
  const rx = await receiver();
  const ep = await createEndpoint(t.auth, { url: rx.url, events: ['*'] });
  const rotated = await stack.api.http.post(`/v1/webhooks/${ep.id}/rotate-secret`).set(t.auth).expect(200);
  expect(rotated.body.secret).not.toBe(ep.secret);
  expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
  await new Promise((r) => setTimeout(r, 1200)); // workers reload endpoint settings every second
  await t.publish([{ type: 'test.rotation' }]);
  await waitFor(() => rx.requests.length >= 1, { timeoutMs: 20_000, what: 'a delivery' });
  const r = rx.requests[0]!;
  expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2);
  for (const secret of [ep.secret, rotated.body.secret]) {
    expect(new StandardWebhook(secret).verify(r.body, sigHeaders(r))).toBeDefined();
    expect(() =>
      new SvixWebhook(secret).verify(r.body, {
        'svix-id': sigHeaders(r)['webhook-id'],
        'svix-timestamp': sigHeaders(r)['webhook-timestamp'],
        'svix-signature': sigHeaders(r)['webhook-signature'],
      }),
    ).not.toThrow();
  }
});

it('redeliver and replay send the same bytes with the same webhook-id', async () => {
  const t = await tenant();
  const rx = await receiver();
  const since = new Date(Date.now() - 1000).toISOString();
  const ep = await createEndpoint(t.auth, { url: rx.url, events: ['message.*'] });
  const events = await t.publish([
    { type: 'message.e2e_replay', chatId: 'c1', data: { i: 1 } },
    { type: 'message.e2e_replay', chatId: 'c2', data: { i: 2 } },
    { type: 'message.e2e_replay', connectionId: 'con_x', data: { i: 3 } },
  ]);
  await waitFor(() => rx.requests.length >= 3, { timeoutMs: 20_000, what: '3 deliveries' });
  const firstRound = new Map(rx.requests.map((r) => [String(r.headers['webhook-id']), r.body]));

  const list = (await waitFor(
    async () => {
      const res = await stack.api.http.get(`/v1/webhooks/${ep.id}/deliveries`).set(t.auth);
      return res.body.data?.length === 3 ? res : undefined;
    },
    { timeoutMs: 10_000, what: '3 deliveries recorded' },
  ))!;
  const original = list.body.data[0];
  const again = await stack.api.http
    .post(`/v1/webhooks/${ep.id}/deliveries/${original.id}/redeliver`)
    .set(t.auth)
    .expect(202);
  expect(again.body.redeliveryOf).toBe(original.id);
  await waitFor(() => rx.requests.length >= 4, { timeoutMs: 20_000, what: 'the redelivery' });
  expect(rx.requests[3]!.headers['webhook-id']).toBe(original.webhookId);
  expect(rx.requests[3]!.body).toBe(firstRound.get(original.webhookId));
  // Attempt records are written in batches (every 50 ms at most).
  const redelivered = await waitFor(
    async () => {
      const res = await stack.api.http
        .get(`/v1/webhooks/${ep.id}/deliveries/${again.body.deliveryId}`)
        .set(t.auth);
      return res.body.status === 'delivered' ? res.body : undefined;
    },
    { timeoutMs: 10_000, what: 'the redelivery recorded' },
  );
  expect(redelivered).toMatchObject({ status: 'delivered', redeliveryOf: original.id });

  // Wait for the event log to hold the events, then replay the window.
  await waitFor(
    async () => {
      const res = await stack.api.http.get('/v1/events?types=message.e2e_replay').set(t.auth);
      return res.body.data?.length === 3;
    },
    { timeoutMs: 20_000, what: 'events in the log' },
  );
  const replay = await stack.api.http
    .post(`/v1/webhooks/${ep.id}/replay`)
    .set(t.auth)
    .send({ since })
    .expect(202);
  await waitFor(() => rx.requests.length >= 7, { timeoutMs: 30_000, what: 'the replay' });
  const replayed = rx.requests.slice(4);
  expect(replayed.map((r) => (JSON.parse(r.body) as EventEnvelope).id).sort()).toEqual(
    events.map((e) => e.id).sort(),
  );
  for (const r of replayed) expect(r.body).toBe(firstRound.get(String(r.headers['webhook-id'])));
  await waitFor(
    async () =>
      (await stack.api.http.get(`/v1/webhooks/${ep.id}/replays/${replay.body.jobId}`).set(t.auth)).body.done,
    { timeoutMs: 20_000, what: 'the replay job done' },
  );
  const bad = await stack.api.http
    .post(`/v1/webhooks/${ep.id}/replay`)
    .set(t.auth)
    .send({ since: new Date(Date.now() + 3_600_000).toISOString() })
    .expect(400);
  expect(bad.body.code).toBe('invalid_replay_window');
});

it('pull API: the account events in order, paged, filtered by type', async () => {
  const t = await tenant();
  const events = await t.publish([
    { type: 'test.pull_a' },
    { type: 'test.pull_b' },
    { type: 'test.pull_a' },
    { type: 'test.pull_b' },
    { type: 'test.pull_a' },
  ]);
  const both = 'types=test.pull_a,test.pull_b';
  await waitFor(
    async () => (await stack.api.http.get(`/v1/events?${both}`).set(t.auth)).body.data?.length === 5,
    {
      timeoutMs: 20_000,
      what: 'events stored',
    },
  );
  const first = await stack.api.http.get(`/v1/events?${both}&limit=2`).set(t.auth).expect(200);
  expect(first.body.data.map((e: EventEnvelope) => e.id)).toEqual(events.slice(0, 2).map((e) => e.id));
  const second = await stack.api.http
    .get(`/v1/events?${both}&limit=2&after=${first.body.nextCursor}`)
    .set(t.auth)
    .expect(200);
  expect(second.body.data.map((e: EventEnvelope) => e.id)).toEqual(events.slice(2, 4).map((e) => e.id));
  const onlyA = await stack.api.http.get('/v1/events?types=test.pull_a').set(t.auth).expect(200);
  expect(onlyA.body.data).toHaveLength(3);
  expect(onlyA.body.nextCursor).toBeNull();
});

it('per-endpoint success rate and event-to-first-attempt percentiles, in the API and in /metrics', async () => {
  const t = await tenant();
  const rx = await receiver();
  let n = 0;
  rx.respond = () => ({ status: n++ % 4 === 0 ? 500 : 200 });
  const ep = await createEndpoint(t.auth, { url: rx.url, events: ['*'] });
  await t.publish(Array.from({ length: 20 }, (_, i) => ({ type: 'test.stats', data: { i } })));
  await waitFor(() => rx.requests.length >= 25, { timeoutMs: 20_000, what: 'deliveries and retries' });
  await new Promise((r) => setTimeout(r, 300));
  const stats = await stack.api.http.get(`/v1/webhooks/${ep.id}/stats`).set(t.auth).expect(200);
  expect(stats.body.attempts).toBeGreaterThanOrEqual(25);
  expect(stats.body.successRate).toBeGreaterThan(0.5);
  expect(stats.body.successRate).toBeLessThan(1);
  expect(stats.body.firstAttempts).toBe(20);
  expect(stats.body.firstAttemptP50Ms).toBeLessThanOrEqual(stats.body.firstAttemptP99Ms);
  const metrics = await stack.worker.get(MetricsRegistry).render();
  expect(metrics).toContain(`wwb_webhook_attempts_total{endpoint="${ep.id}",result="success"}`);
  expect(metrics).toContain(`wwb_webhook_success_ratio{endpoint="${ep.id}"}`);
  expect(metrics).toMatch(
    new RegExp(`wwb_webhook_first_attempt_delay_quantiles_seconds\\{quantile="0.99",endpoint="${ep.id}"\\}`),
  );
  expect(metrics).toContain(`wwb_webhook_first_attempt_delay_seconds_bucket{le="0.05",endpoint="${ep.id}"}`);
});
