import { GATEWAY_COMMANDS, SendMessageCommandData } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;

describe('messaging durability (e2e): accepted while no gateway runs, sent exactly once', () => {
  let s: MessagingStack;
  let key: string;
  let con: string;

  beforeAll(async () => {
    s = await MessagingStack.start();
    await s.startWorker();
    await s.stack.startGateway();
    key = (await s.stack.account()).key;
    con = await s.readyConnection(key, '+15551230002');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('a message accepted with no gateway is stored before the 202, re-published, and sent once when a gateway starts', async () => {
    await s.stack.stopGateway(s.stack.gateways[0]!);

    const text = `durable ${Date.now()}`;
    const res = await s.http
      .post(`/v1/connections/${con}/messages`)
      .set(auth(key))
      .send({ to: '+15557654321', type: 'text', text })
      .expect(202);
    const id = res.body.id as string;
    // Stored (pending) before the answer.
    const stored = await s.stack.db.collection('messages').findOne({ _id: id as never });
    expect(stored).toMatchObject({
      pending: true,
      chatId: '15557654321@c.us',
      content: { type: 'text', text },
    });

    // The command is also published once more by hand: with the sweeper's re-publishes (every
    // MESSAGE_REQUEUE_AFTER_MS while pending) the commands topic now holds it several times.
    const api = s.stack.api;
    const data: SendMessageCommandData = {
      messageId: id,
      chatId: '15557654321@c.us',
      message: stored!.content as SendMessageCommandData['message'],
    };
    await api.get(EventPublisher).publish(
      api.get(EventFactory).create({
        type: GATEWAY_COMMANDS.messageSend,
        accountId: stored!.accountId as string,
        connectionId: con,
        chatId: data.chatId,
        data,
      }),
      { topic: 'commands' },
    );
    await new Promise((r) => setTimeout(r, 2500));
    const requeue = await s.stack.db.collection('message_requeues').findOne({ _id: id as never });
    expect(requeue?.count).toBeGreaterThanOrEqual(1);
    const queued = await s.http.get(`/v1/connections/${con}/messages/${id}`).set(auth(key)).expect(200);
    expect(queued.body).toMatchObject({ status: 'queued', waMessageId: null });

    await s.stack.startGateway();
    const delivered = await s.waitForMessage(key, con, id, (m) => m.status === 'delivered', 60_000);
    expect(delivered.waMessageId).toEqual(expect.stringMatching(/^true_/));

    // Every copy of the command has been handled by now (the partition is consumed in order
    // and the sweeper stopped once the message settled); the phone got the message once.
    await new Promise((r) => setTimeout(r, 3000));
    const chat = await s.http
      .get(`/v1/connections/${con}/chats/15557654321@c.us/messages?limit=200`)
      .set(auth(key))
      .expect(200);
    const copies = (chat.body.data as Json[]).filter((m) => m.body === text);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ messageId: id, waMessageId: delivered.waMessageId });
    const gens = await s.stack.db.collection('message_sends').find({ messageId: id }).toArray();
    expect(gens.filter((g) => g.state === 'done')).toHaveLength(1);
    expect(gens.filter((g) => g.state === 'sending')).toHaveLength(0);
    expect(
      await s.stack.db.collection('message_statuses').countDocuments({ messageId: id, status: 'sent' }),
    ).toBe(1);
    expect(await s.stack.db.collection('messages').findOne({ _id: id as never })).toMatchObject({
      pending: false,
    });
  });

  it('re-publishing a message that was already sent changes nothing', async () => {
    const text = `once ${Date.now()}`;
    const res = await s.http
      .post(`/v1/connections/${con}/messages`)
      .set(auth(key))
      .send({ to: '+15557654321', type: 'text', text })
      .expect(202);
    const id = res.body.id as string;
    const first = await s.waitForMessage(key, con, id, (m) => m.status === 'delivered');
    const stored = await s.stack.db.collection('messages').findOne({ _id: id as never });
    const api = s.stack.api;
    for (let i = 0; i < 3; i++) {
      await api.get(EventPublisher).publish(
        api.get(EventFactory).create({
          type: GATEWAY_COMMANDS.messageSend,
          accountId: stored!.accountId as string,
          connectionId: con,
          chatId: '15557654321@c.us',
          data: { messageId: id, chatId: '15557654321@c.us', message: stored!.content },
        }),
        { topic: 'commands' },
      );
    }
    await new Promise((r) => setTimeout(r, 2500));
    const chat = await s.http
      .get(`/v1/connections/${con}/chats/15557654321@c.us/messages?limit=200`)
      .set(auth(key))
      .expect(200);
    expect((chat.body.data as Json[]).filter((m) => m.body === text)).toHaveLength(1);
    const after = await s.http.get(`/v1/connections/${con}/messages/${id}`).set(auth(key)).expect(200);
    expect(after.body.waMessageId).toBe(first.waMessageId);
    expect(after.body.status).toBe('delivered');
  });

  it('a message for a connection that does not become ready fails not_ready after MESSAGE_READY_TIMEOUT_MS', async () => {
    // A connection waiting for its QR scan is never ready.
    const created = await s.http
      .post('/v1/connections')
      .set(auth(key))
      .send({ name: 'never scanned', driver: 'simulator' })
      .expect(201);
    const unscanned = created.body.id as string;
    await s.stack.waitForStatus(key, unscanned, 'qr');
    const res = await s.http
      .post(`/v1/connections/${unscanned}/messages`)
      .set(auth(key))
      .send({ to: '+15557654321', type: 'text', text: 'nobody home' })
      .expect(202);
    const failed = await s.waitForMessage(
      key,
      unscanned,
      res.body.id as string,
      (m) => m.status === 'failed',
      90_000,
    );
    expect(failed.error).toMatchObject({ code: 'not_ready' });
  });

  it('a send left in the driver call by a gateway that died is failed send_interrupted at its next delivery, not after the 5-minute sending lease, and never sent', async () => {
    await s.stack.stopGateway(s.stack.gateways[0]!);
    const text = `interrupted ${Date.now()}`;
    const res = await s.http
      .post(`/v1/connections/${con}/messages`)
      .set(auth(key))
      .send({ to: '+15557654322', type: 'text', text })
      .expect(202);
    const id = res.body.id as string;
    // What a gateway killed inside the driver call leaves behind: its generation `sending`, under
    // a node id whose heartbeat is gone.
    const stored = await s.stack.db.collection('messages').findOne({ _id: id as never });
    const at = new Date();
    await s.stack.db.collection('message_sends').insertOne({
      _id: `${id}#0`,
      messageId: id,
      gen: 0,
      accountId: stored!.accountId,
      connectionId: con,
      chatId: '15557654322@c.us',
      state: 'sending',
      nodeId: 'gw_01M98A0000000000000000DEAD',
      claimedAt: at,
      sendingAt: at,
    } as never);

    await s.stack.startGateway();
    // The command is published again by hand (as the sweeper would after MESSAGE_REQUEUE_AFTER_MS).
    const api = s.stack.api;
    await api.get(EventPublisher).publish(
      api.get(EventFactory).create({
        type: GATEWAY_COMMANDS.messageSend,
        accountId: stored!.accountId as string,
        connectionId: con,
        chatId: '15557654322@c.us',
        data: { messageId: id, chatId: '15557654322@c.us', message: stored!.content },
      }),
      { topic: 'commands' },
    );
    const failed = await s.waitForMessage(key, con, id, (m) => m.status === 'failed', 60_000);
    expect(failed.error).toMatchObject({ code: 'send_interrupted' });
    expect(Date.now() - at.getTime()).toBeLessThan(120_000);
    const chat = await s.http
      .get(`/v1/connections/${con}/chats/15557654322@c.us/messages?limit=20`)
      .set(auth(key))
      .expect(200);
    expect((chat.body.data as Json[]).filter((m) => m.body === text)).toHaveLength(0);
    const gens = await s.stack.db
      .collection('message_sends')
      .find({ messageId: id })
      .sort({ gen: 1 })
      .toArray();
    expect(gens.map((g) => g.state)).toEqual(['sending', 'done']);
  });
});
