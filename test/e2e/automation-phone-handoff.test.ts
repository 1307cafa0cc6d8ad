/**
 * Hand-off when a human answers from the linked phone: the simulator's phone-message control
 * makes the driver report a message typed on the phone (message.sent without our id or origin),
 * the automation pauses its bot in that chat, while its own replies never pause anything.
 */
import type { EventEnvelope } from '@wwb/contracts';
import { waitFor } from '@wwb/testing';
import {
  AUTOMATION_TEST_ENV,
  AutomationDriver,
  chatOf,
  Json,
  ruleCacheCatchUp,
  sleep,
} from './support/automation-stack';
import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

const GREETING = 'Hi! How can we help?';

describe('automation hand-off when a human answers from the phone (e2e, simulator phone-message)', () => {
  let s: MessagingStack;
  let a: AutomationDriver;
  let account: { id: string; key: string };
  let ruleId: string;

  /** The account's events of `type` (oldest first) from the event log, GET /v1/events. */
  const logged = async (type: string, chatId?: string): Promise<EventEnvelope<Json>[]> => {
    const res = await s.http.get(`/v1/events?types=${type}&limit=1000`).set(auth(account.key)).expect(200);
    const events = res.body.data as EventEnvelope<Json>[];
    return chatId ? events.filter((e) => e.chatId === chatId) : events;
  };
  const waitLogged = async (type: string, chatId: string, match: (e: EventEnvelope<Json>) => boolean) => {
    let found: EventEnvelope<Json> | undefined;
    await waitFor(
      async () => {
        found = (await logged(type, chatId)).find(match);
        return found !== undefined;
      },
      { timeoutMs: 30_000, intervalMs: 150, what: `${type} in ${chatId}` },
    );
    return found!;
  };
  const phoneMessage = (to: string, text: string) =>
    s.http
      .post(`/v1/connections/${a.connectionId}/simulator/phone-message`)
      .set(auth(account.key))
      .send({ to, text });

  beforeAll(async () => {
    // A cap above the replies one chat gets here, so only a hand-off can silence the bot.
    s = await MessagingStack.start({ ...AUTOMATION_TEST_ENV, AUTOMATION_MAX_REPLIES_PER_CHAT: '10' });
    await s.startWorker();
    await s.stack.startGateway();
    account = await s.stack.account();
    const con = await s.readyConnection(account.key, '+15551240001');
    a = new AutomationDriver(s, account.key, con);
    const rule = await a.rule({
      name: 'Greeting',
      priority: 10,
      conditions: { mode: 'all', items: [{ type: 'text', op: 'contains', value: 'hello' }] },
      actions: [{ type: 'reply', text: GREETING }],
    });
    ruleId = rule.id as string;
    await ruleCacheCatchUp();
  });

  afterAll(async () => {
    await s?.close();
  });

  it('a message typed on the phone hands the chat off (human_reply): the next inbound gets no auto-reply', async () => {
    const peer = '+15557100001';
    const chat = chatOf(peer);
    await a.inbound(peer, 'hello there');
    const [auto] = await a.waitOutgoing(chat, 1);
    expect(auto).toMatchObject({ body: GREETING, source: 'auto_reply', ruleId });

    const typed = await phoneMessage(peer, 'Hi, Anna here, I will take it from here').expect(200);
    expect(typed.body).toEqual({
      waMessageId: expect.stringMatching(new RegExp(`^true_${chat}_`)),
      chatId: chat,
    });
    const waMessageId = typed.body.waMessageId as string;

    // Published as one of ours, but neither our id nor an origin: nobody sent it through us.
    const sent = await waitLogged('message.sent', chat, (e) => e.data.waMessageId === waMessageId);
    expect(sent.data).toMatchObject({ fromMe: true, body: 'Hi, Anna here, I will take it from here' });
    expect(sent.data.origin).toBeUndefined();
    expect(sent.data.messageId).toBeUndefined();

    const started = await waitLogged('automation.handoff.started', chat, () => true);
    expect(started.data).toMatchObject({ chatId: chat, reason: 'human_reply', triggerEventId: sent.id });
    const until = Date.parse(started.data.until as string);
    expect(until - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(30 * 60_000);

    // The chat as the API shows it: the phone's message, marked as typed on the phone.
    await waitFor(async () => (await a.outgoing(chat)).some((m) => m.waMessageId === waMessageId), {
      timeoutMs: 30_000,
      what: 'the phone message in the chat',
    });
    expect((await a.outgoing(chat)).find((m) => m.waMessageId === waMessageId)).toMatchObject({
      body: 'Hi, Anna here, I will take it from here',
      fromMe: true,
      source: 'phone',
      messageId: null,
    });

    // Paused: handled (inbound, phone message, inbound) but not answered, while a control chat
    // written to afterwards is answered, so a reply to the paused chat would have shown by now.
    await a.inbound(peer, 'hello? anyone?');
    await a.waitHandled(chat, 3);
    const control = chatOf('+15557100009');
    await a.inbound('+15557100009', 'hello');
    await a.waitOutgoing(control, 1);
    await sleep(1000);
    expect((await a.outgoing(chat)).map((m) => [m.body, m.source])).toEqual([
      [GREETING, 'auto_reply'],
      ['Hi, Anna here, I will take it from here', 'phone'],
    ]);
    expect(await logged('automation.handoff.started', chat)).toHaveLength(1);
  });

  it("the bot's own replies never pause a chat: a peer is answered every time", async () => {
    const peer = '+15557100002';
    const chat = chatOf(peer);
    for (let i = 1; i <= 4; i++) {
      await a.inbound(peer, `hello #${i}`);
      await a.waitOutgoing(chat, i);
    }
    const out = await a.outgoing(chat);
    expect(out.map((m) => [m.body, m.source])).toEqual(Array(4).fill([GREETING, 'auto_reply']));
    // Their message.sent events carry the origin that tells them from a human's.
    let sent: EventEnvelope<Json>[] = [];
    await waitFor(async () => (sent = await logged('message.sent', chat)).length >= 4, {
      timeoutMs: 30_000,
      what: 'the replies in the event log',
    });
    expect(sent).toHaveLength(4);
    for (const e of sent) expect(e.data.origin).toMatchObject({ source: 'auto_reply', ruleId });
    expect(await logged('automation.handoff.started', chat)).toEqual([]);
  });

  it('phone-message validates its body and needs a simulator connection of the account', async () => {
    const bad = await phoneMessage('not-a-number', 'x').expect(400);
    expect(bad.body.code).toBe('validation_failed');
    await phoneMessage('+15557100003', '').expect(400);
    const other = await s.stack.account();
    await s.http
      .post(`/v1/connections/${a.connectionId}/simulator/phone-message`)
      .set(auth(other.key))
      .send({ to: '+15557100003', text: 'hi' })
      .expect(404);
  });
});
