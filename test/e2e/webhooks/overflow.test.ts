import { MetricsRegistry } from '@wwb/observability';
import { waitFor } from '@wwb/testing';
import { DeliveryDispatcher } from '@wwb/webhooks';
import { Receiver, Stack, startStack } from './webhook-test.harness';

jest.setTimeout(120_000);

/**
 * A lane that holds WEBHOOK_MAX_HELD_PER_ENDPOINT deliveries leaves the rest in MongoDB and
 * reads them back in order as the endpoint catches up: memory stays bounded (a dead endpoint
 * cannot fill it), nothing is lost, per-chat order holds.
 */
const MAX_HELD = 20;
let stack: Stack;
const receiver = new Receiver();

beforeAll(async () => {
  await receiver.start();
  receiver.respond = () => ({ status: 200, delayMs: 15 });
  stack = await startStack({
    WEBHOOK_MAX_HELD_PER_ENDPOINT: String(MAX_HELD),
    WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: '2',
  });
});

afterAll(async () => {
  await stack?.close();
  await receiver.stop();
});

it('keeps at most the maximum in memory, reads the rest back from the store, in order, each once', async () => {
  const created = await stack.api.http
    .post('/v1/webhooks')
    .set(stack.auth)
    .send({ url: receiver.url, events: ['*'], ordering: 'chat' })
    .expect(201);
  const dispatcher = stack.worker.get(DeliveryDispatcher);
  let maxHeld = 0;
  const sampler = setInterval(() => (maxHeld = Math.max(maxHeld, dispatcher.pendingCount)), 2);

  const chats = ['chat-a', 'chat-b'];
  const events = await stack.publish(
    Array.from({ length: 240 }, (_, i) => ({ chatId: chats[i % 2], data: { i } })),
  );
  try {
    await waitFor(() => new Set(receiver.events().map((e) => e.id)).size === events.length, {
      timeoutMs: 90_000,
      intervalMs: 100,
      what: 'every event delivered',
    });
  } finally {
    clearInterval(sampler);
  }

  const got = receiver.events();
  expect(got).toHaveLength(events.length); // each once
  for (const chat of chats) {
    const sent = events.filter((e) => e.chatId === chat).map((e) => e.id);
    expect(got.filter((e) => e.chatId === chat).map((e) => e.id)).toEqual(sent);
  }
  expect(maxHeld).toBeGreaterThan(0);
  expect(maxHeld).toBeLessThanOrEqual(MAX_HELD);
  const metrics = await stack.worker.get(MetricsRegistry).render();
  const spilled = Number(/^wwb_webhook_spilled_total (\d+)/m.exec(metrics)?.[1] ?? 0);
  expect(spilled).toBeGreaterThan(100);

  // Everything is recorded as delivered.
  await waitFor(
    async () => {
      const res = await stack.api.http
        .get(`/v1/webhooks/${created.body.id}/deliveries?status=delivered&limit=100`)
        .set(stack.auth);
      return res.body.data.length === 100;
    },
    { timeoutMs: 10_000, what: 'deliveries recorded' },
  );
  expect(dispatcher.pendingCount).toBe(0);
});
