import { waitFor } from '@wwb/testing';
import { Receiver, Stack, startStack } from './webhook-test.harness';

jest.setTimeout(90_000);

let stack: Stack;
const dead = new Receiver();
const watcher = new Receiver();

beforeAll(async () => {
  await dead.start();
  await watcher.start();
  // Five days compressed to three seconds.
  stack = await startStack({ WEBHOOK_AUTO_DISABLE_AFTER_MS: '3000', WEBHOOK_RETRY_SCALE: '0.0002' });
});

afterAll(async () => {
  await stack?.close();
  await dead.stop();
  await watcher.stop();
});

it('disables an endpoint after the auto-disable period of nothing but failures, with an event', async () => {
  dead.respond = () => ({ status: 500 });
  const ep = await stack.api.http
    .post('/v1/webhooks')
    .set(stack.auth)
    .send({ url: dead.url, events: ['message.*'] })
    .expect(201);
  await stack.api.http
    .post('/v1/webhooks')
    .set(stack.auth)
    .send({ url: watcher.url, events: ['webhook.*'] })
    .expect(201);
  const started = Date.now();
  // A steady trickle of events, all failing.
  const timer = setInterval(() => void stack.publish([{ type: 'message.e2e_failing' }]), 250);
  try {
    await waitFor(() => watcher.requests.length >= 1, {
      timeoutMs: 30_000,
      what: 'webhook.endpoint.disabled',
    });
  } finally {
    clearInterval(timer);
  }
  expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  expect(watcher.events()[0]).toMatchObject({
    type: 'webhook.endpoint.disabled',
    data: { endpointId: ep.body.id, reason: 'failing', lastStatusCode: 500 },
  });
  const got = await stack.api.http.get(`/v1/webhooks/${ep.body.id}`).set(stack.auth).expect(200);
  expect(got.body).toMatchObject({ status: 'disabled', disabled: { reason: 'failing' } });

  // Its waiting deliveries are cancelled: nothing is pending any more.
  await waitFor(
    async () => {
      const res = await stack.api.http
        .get(`/v1/webhooks/${ep.body.id}/deliveries?status=pending`)
        .set(stack.auth);
      return res.body.data?.length === 0;
    },
    { timeoutMs: 15_000, what: 'no pending delivery' },
  );
  const requestsAtDisable = dead.requests.length;
  await stack.publish([{ type: 'message.e2e_failing' }]);
  await new Promise((r) => setTimeout(r, 1000));
  expect(dead.requests.length).toBe(requestsAtDisable);
});
