import { ConnectionSupervisor } from '@wwb/gateway';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { waitFor } from '@wwb/testing';
import { admin } from './support/e2e-app';
import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';
import { Receiver, WEBHOOK_TEST_ENV } from './webhooks/webhook-test.harness';

jest.setTimeout(240_000);

/**
 * Issue 9 §2: disabling an account stops its sessions, its webhooks and its queued sends (before,
 * only its keys stopped working); enabling it again brings the sessions back without a QR code
 * and delivers the webhooks held meanwhile.
 */
describe('disabling an account (e2e: API + worker + gateway, real Kafka and FerretDB)', () => {
  let s: MessagingStack;
  const receiver = new Receiver();
  let account: { id: string; key: string };
  let con: string;

  const setDisabled = (disabled: boolean) =>
    s.http.patch(`/v1/admin/accounts/${account.id}`).set(admin).send({ disabled }).expect(200);
  const supervisor = () => s.stack.gateways[s.stack.gateways.length - 1]!.get(ConnectionSupervisor);
  const bodiesOf = (type: string) => receiver.requests.filter((r) => r.body.includes(`"type":"${type}"`));

  beforeAll(async () => {
    await receiver.start();
    s = await MessagingStack.start(WEBHOOK_TEST_ENV);
    await s.startWorker();
    await s.stack.startGateway();
    account = await s.stack.account();
    con = await s.readyConnection(account.key, '+15551238001');
    await s.http
      .post('/v1/webhooks')
      .set(auth(account.key))
      .send({ url: receiver.url, events: ['*'] })
      .expect(201);
  });

  afterAll(async () => {
    await s?.close();
    await receiver.stop();
  });

  it('stops the sessions and holds the webhooks; enabling brings both back, without a QR code', async () => {
    await setDisabled(true);
    await waitFor(() => !supervisor().running.includes(con), { timeoutMs: 20_000, what: 'session stopped' });
    const state = await s.stack.db
      .collection('connection_states')
      .find({ connectionId: con })
      .sort({ epoch: -1 })
      .limit(1)
      .next();
    expect(state).toMatchObject({ status: 'stopped', statusReason: 'account disabled' });
    // The key is refused meanwhile.
    await s.http.get(`/v1/connections/${con}`).set(auth(account.key)).expect(403);

    // An event of the account while it is disabled: stored for delivery, not sent.
    const api = s.stack.api;
    const event = api.get(EventFactory).create({
      type: 'test.while_disabled',
      accountId: account.id,
      data: { n: 1 },
    });
    await api.get(EventPublisher).publish(event);
    const held = await waitFor(
      () => s.stack.db.collection('webhook_deliveries').findOne({ eventId: event.id }),
      { timeoutMs: 20_000, what: 'the delivery stored' },
    );
    await new Promise((r) => setTimeout(r, 6_000)); // more than one recheck of the held delivery
    expect(bodiesOf('test.while_disabled')).toHaveLength(0);
    expect(await s.stack.db.collection('webhook_attempts').countDocuments({ deliveryId: held!._id })).toBe(0);

    await setDisabled(false);
    await waitFor(() => bodiesOf('test.while_disabled').length === 1, {
      timeoutMs: 30_000,
      what: 'the held webhook delivered',
    });
    await s.stack.waitForStatus(account.key, con, 'ready');
    const states = await s.stack.db
      .collection('connection_states')
      .find({ connectionId: con })
      .sort({ epoch: -1 })
      .limit(1)
      .next();
    // Restored from the saved session: no QR code was needed.
    expect(states).toMatchObject({ status: 'ready', phoneNumber: '15551238001' });
  });

  it('a send accepted before the account was disabled fails account_disabled and is not sent', async () => {
    await s.stack.stopGateway(s.stack.gateways[0]!);
    const res = await s.http
      .post(`/v1/connections/${con}/messages`)
      .set(auth(account.key))
      .send({ to: '+15557654321', type: 'text', text: 'accepted, then the account was disabled' })
      .expect(202);
    const id = res.body.id as string;
    await setDisabled(true);
    await s.stack.startGateway();
    const failed = await waitFor(
      () => s.stack.db.collection('message_statuses').findOne({ _id: `${id}/failed` as never }),
      { timeoutMs: 60_000, what: 'the send failed' },
    );
    expect(failed).toMatchObject({ reason: { code: 'account_disabled' } });
    expect(
      await s.stack.db.collection('message_statuses').findOne({ _id: `${id}/sent` as never }),
    ).toBeNull();
    expect(supervisor().running).not.toContain(con);
    await setDisabled(false);
  });
});
