import { Webhook as StandardWebhook } from 'standardwebhooks';
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
import { Receiver } from './webhooks/webhook-test.harness';

jest.setTimeout(180_000);

const text = (item: string | string[]) => ({
  type: 'text',
  op: Array.isArray(item) ? 'keywords' : 'contains',
  ...(Array.isArray(item) ? { values: item } : { value: item }),
});
const reply = (t: string) => ({ type: 'reply', text: t });
const when = (...items: Json[]) => ({ mode: 'all', items });

describe('automation (e2e: inbound -> rules / FAQ bots -> replies through the send use case)', () => {
  let s: MessagingStack;
  let a: AutomationDriver;
  let account: { id: string; key: string };
  const receiver = new Receiver();
  const rules: Record<string, Json> = {};

  /** Webhook deliveries of automation events of a chat, of one type. */
  const delivered = (type: string, chatId: string): EventEnvelope<Json>[] =>
    (receiver.events() as EventEnvelope<Json>[]).filter((e) => e.type === type && e.chatId === chatId);
  const waitDelivered = async (type: string, chatId: string, n = 1): Promise<EventEnvelope<Json>[]> => {
    await waitFor(() => delivered(type, chatId).length >= n, {
      timeoutMs: 30_000,
      what: `${type} for ${chatId}`,
    });
    return delivered(type, chatId);
  };

  beforeAll(async () => {
    await receiver.start();
    s = await MessagingStack.start(AUTOMATION_TEST_ENV);
    await s.startWorker();
    await s.stack.startGateway();
    account = await s.stack.account();
    const con = await s.readyConnection(account.key, '+15551230001');
    a = new AutomationDriver(s, account.key, con);
    await s.http
      .post('/v1/webhooks')
      .set(auth(account.key))
      .send({ url: receiver.url, events: ['automation.*', 'contact.*', 'faq.*'] })
      .expect(201);

    rules.price = await a.rule({
      name: 'Prices',
      priority: 10,
      conditions: when(text(['price', 'prices'])),
      actions: [
        reply('Prices are on example.com/prices ({{contact.phone}})'),
        { type: 'tag', add: ['asked-price'] },
        { type: 'http', method: 'POST', url: `http://127.0.0.1:${receiver.port}/rule-hook` },
      ],
    });
    rules.status = await a.rule({
      name: 'Order status first',
      priority: 0,
      stopOnMatch: false,
      conditions: when(text('order status')),
      actions: [reply('C: looking up your order status')],
    });
    rules.orderA = await a.rule({
      name: 'Order A',
      priority: 1,
      stopOnMatch: true,
      conditions: when(text('order')),
      actions: [reply('A: about your order')],
    });
    rules.orderB = await a.rule({
      name: 'Order B',
      priority: 2,
      conditions: when(text('order')),
      actions: [reply('B: must never be sent')],
    });
    rules.hours = await a.rule({
      name: 'Hours',
      priority: 20,
      cooldownSeconds: 3600,
      conditions: when(text(['hours'])),
      actions: [reply('We are open 9-17')],
    });
    rules.ping = await a.rule({
      name: 'Ping',
      priority: 30,
      conditions: when({ type: 'text', op: 'equals', value: 'ping' }),
      actions: [reply('pong')],
    });
    rules.agent = await a.rule({
      name: 'Agent',
      priority: 40,
      conditions: when(text(['agent', 'human'])),
      actions: [reply('Connecting you to a person'), { type: 'handoff', minutes: 60 }],
    });
    rules.group = await a.rule({
      name: 'Group hello',
      priority: 50,
      conditions: when({ type: 'chatType', in: ['group'] }, text('group hello')),
      actions: [reply('hello group')],
    });
    await ruleCacheCatchUp();
  });

  afterAll(async () => {
    await s?.close();
    await receiver.stop();
  });

  it('a rule answers through the send use case: source auto_reply + rule id, sent and delivered; its tag, HTTP and webhook events', async () => {
    const peer = '+15557000001';
    const chat = chatOf(peer);
    await a.inbound(peer, 'Hi! What is the price of the blue one?');

    // The reply's own id reaches the conversation with its status (the link follows the send).
    const [out] = await a.waitOutgoing(chat, 1, (m) => !!m.messageId);
    expect(out).toMatchObject({
      body: 'Prices are on example.com/prices (+15557000001)',
      source: 'auto_reply',
      ruleId: rules.price!.id,
      messageId: expect.stringMatching(/^msg_/),
    });
    const msg = await s.waitForMessage(account.key, a.connectionId, out!.messageId as string, (m) =>
      ['delivered', 'read'].includes(m.status as string),
    );
    expect(msg).toMatchObject({ source: 'auto_reply', ruleId: rules.price!.id, chatId: chat });

    const [matched] = await waitDelivered('automation.rule.matched', chat);
    expect(matched!.data).toMatchObject({
      ruleId: rules.price!.id,
      ruleName: 'Prices',
      chatId: chat,
      contactId: expect.any(String),
    });
    const [sent] = await waitDelivered('automation.reply.sent', chat);
    expect(sent!.data).toEqual({
      messageId: out!.messageId,
      ruleId: rules.price!.id,
      source: 'auto_reply',
      triggerEventId: matched!.data.triggerEventId,
      chatId: chat,
    });

    // The tag action tagged the sender's contact.
    const contact = await s.http
      .get(`/v1/contacts/${matched!.data.contactId as string}`)
      .set(auth(account.key));
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ phone: peer, tags: expect.arrayContaining(['asked-price']) });

    // The HTTP action: POSTed once, signed with the account's secret like a webhook.
    await waitFor(() => receiver.requests.some((r) => r.url === '/rule-hook'), { what: 'rule hook' });
    const hook = receiver.requests.find((r) => r.url === '/rule-hook')!;
    // The receiver gets the secret from the API, as an integrator would.
    const secret = (await s.http.get('/v1/automation/signing-secret').set(auth(account.key)).expect(200)).body
      .secret as string;
    expect(secret).toMatch(/^whsec_/);
    const headers = {
      'webhook-id': String(hook.headers['webhook-id']),
      'webhook-timestamp': String(hook.headers['webhook-timestamp']),
      'webhook-signature': String(hook.headers['webhook-signature']),
    };
    expect(headers['webhook-id']).toBe(
      `${matched!.data.triggerEventId as string}:${rules.price!.id as string}`,
    );
    expect(new StandardWebhook(secret).verify(hook.body, headers)).toBeDefined();
    const body = JSON.parse(hook.body) as Json;
    expect(body).toMatchObject({
      event: { id: matched!.data.triggerEventId, type: 'message.received' },
      rule: { id: rules.price!.id, name: 'Prices' },
      contact: { phone: peer },
    });
    expect(receiver.requests.filter((r) => r.url === '/rule-hook')).toHaveLength(1);
  });

  it('priority and stopOnMatch: rules run in ascending priority; a stopOnMatch match ends the evaluation', async () => {
    const peer = '+15557000002';
    const chat = chatOf(peer);
    await a.inbound(peer, 'What is my order status?');
    await a.inbound(peer, 'ping'); // marker: answered after anything the first message caused
    const out = await a.waitOutgoing(chat, 3);
    expect(out.map((m) => m.body)).toEqual([
      'C: looking up your order status',
      'A: about your order',
      'pong',
    ]);
    expect(out.map((m) => m.ruleId)).toEqual([rules.status!.id, rules.orderA!.id, rules.ping!.id]);
  });

  it('cooldown: a rule answers a contact once per cooldown', async () => {
    const peer = '+15557000003';
    const chat = chatOf(peer);
    await a.inbound(peer, 'opening hours?');
    await a.waitOutgoing(chat, 1);
    await a.inbound(peer, 'and your hours on sunday?');
    await a.inbound(peer, 'ping');
    await a.waitOutgoing(chat, 2);
    await sleep(500);
    expect((await a.outgoing(chat)).map((m) => m.body)).toEqual(['We are open 9-17', 'pong']);
  });

  it('loop breaker: a burst beyond AUTOMATION_MAX_REPLIES_PER_CHAT gets no more replies; tripped is published once', async () => {
    const peer = '+15557000004';
    const chat = chatOf(peer);
    for (let i = 0; i < 6; i++) await a.inbound(peer, 'ping');
    await a.waitHandled(chat, 6);
    await a.waitOutgoing(chat, 3);
    await waitDelivered('automation.loop_breaker.tripped', chat);
    await sleep(1500);
    expect((await a.outgoing(chat)).map((m) => m.body)).toEqual(['pong', 'pong', 'pong']);
    const tripped = delivered('automation.loop_breaker.tripped', chat);
    expect(tripped).toHaveLength(1);
    expect(tripped[0]!.data).toMatchObject({ replies: 3, windowSeconds: 600 });
  });

  it('opt-out: STOP is confirmed and silences automation; START opts back in', async () => {
    const peer = '+15557000005';
    const chat = chatOf(peer);
    await a.inbound(peer, 'Stop');
    const [confirmation] = await a.waitOutgoing(chat, 1);
    expect(confirmation).toMatchObject({
      body: 'You are unsubscribed. Reply START to come back.',
      source: 'opt_out',
    });
    const [optedOut] = await waitDelivered('contact.opted_out', chat);
    expect(optedOut!.data).toMatchObject({ phone: peer, source: 'keyword', reason: 'keyword Stop' });

    await a.inbound(peer, 'what is the price?');
    await a.inbound(peer, 'ping');
    await a.waitHandled(chat, 3);
    await sleep(1500);
    expect(await a.outgoing(chat)).toHaveLength(1);

    await a.inbound(peer, 'START');
    await a.waitOutgoing(chat, 2);
    await waitDelivered('contact.opted_in', chat);
    await a.inbound(peer, 'ping');
    const out = await a.waitOutgoing(chat, 3);
    expect(out.map((m) => m.body)).toEqual([confirmation!.body, 'Welcome back!', 'pong']);
  });

  it('a human answering through the API pauses automation in that chat', async () => {
    const peer = '+15557000006';
    const chat = chatOf(peer);
    await a.inbound(peer, 'ping');
    await a.waitOutgoing(chat, 1);
    await s.http
      .post(`/v1/connections/${a.connectionId}/messages`)
      .set(auth(account.key))
      .send({ to: peer, type: 'text', text: 'Hi, Anna from support here' })
      .expect(202);
    const [started] = await waitDelivered('automation.handoff.started', chat);
    expect(started!.data).toMatchObject({ reason: 'human_reply', chatId: chat });
    const until = Date.parse(started!.data.until as string);
    expect(until - Date.now()).toBeGreaterThan(29 * 60_000);

    await a.inbound(peer, 'ping');
    await a.waitHandled(chat, 3);
    await sleep(1500);
    expect((await a.outgoing(chat)).map((m) => m.body)).toEqual(['pong', 'Hi, Anna from support here']);
  });

  it("a rule's handoff action pauses the bot in that chat", async () => {
    const peer = '+15557000007';
    const chat = chatOf(peer);
    await a.inbound(peer, 'I want to talk to a human');
    await a.waitOutgoing(chat, 1);
    const [started] = await waitDelivered('automation.handoff.started', chat);
    expect(started!.data).toMatchObject({ reason: 'rule', ruleId: rules.agent!.id });
    await a.inbound(peer, 'ping');
    await a.waitHandled(chat, 2);
    await sleep(1500);
    expect((await a.outgoing(chat)).map((m) => m.body)).toEqual(['Connecting you to a person']);
  });

  it("groups: skipped unless a rule's chatType names them; our own messages never trigger anything", async () => {
    const group = '120363000000000001@g.us';
    await a.inbound(group, 'price please', { author: '+15557000008' });
    await a.inbound(group, 'group hello', { author: '+15557000008' });
    const out = await a.waitOutgoing(group, 1);
    await sleep(500);
    expect((await a.outgoing(group)).map((m) => m.body)).toEqual(['hello group']);
    expect(out[0]).toMatchObject({ ruleId: rules.group!.id });
  });

  describe('FAQ bot in fallback mode (own account: it answers whatever no rule matched)', () => {
    let f: AutomationDriver;
    let botId: string;

    beforeAll(async () => {
      const acc = await s.stack.account();
      const con = await s.readyConnection(acc.key, '+15551230002');
      f = new AutomationDriver(s, acc.key, con);
      await s.http
        .post('/v1/webhooks')
        .set(auth(acc.key))
        .send({ url: receiver.url, events: ['automation.*', 'faq.*'] })
        .expect(201);
      const bot = await f.faqBot({
        name: 'Support FAQ',
        language: 'en',
        mode: 'fallback',
        fallbackAnswer: "Sorry, I don't know that one yet.",
        handoffAfterMisses: 2,
        entries: [
          {
            id: 'hours',
            questions: ['What are your opening hours?', 'When do you open?'],
            keywords: ['hours', 'open'],
            answer: { text: 'We open at 9, {{contact.phone}}' },
          },
          {
            id: 'shipping',
            questions: ['How long does shipping take?'],
            keywords: ['shipping', 'delivery'],
            answer: { text: 'Shipping takes 2 days' },
          },
        ],
      });
      botId = bot.id as string;
    });

    it('answers a known question, sends the fallback answer on misses, hands off after N misses in a row', async () => {
      const peer = '+15557000009';
      const chat = chatOf(peer);
      await f.inbound(peer, 'what are your opening hours?');
      const [answer] = await f.waitOutgoing(chat, 1);
      expect(answer).toMatchObject({ body: 'We open at 9, +15557000009', source: 'faq_bot', botId });
      const [answered] = await waitDelivered('faq.answered', chat);
      expect(answered!.data).toMatchObject({
        botId,
        entryId: 'hours',
        question: 'what are your opening hours?',
      });

      await f.inbound(peer, 'Can I pay with bitcoin?');
      await f.waitOutgoing(chat, 2);
      await f.inbound(peer, 'Do you repair bicycles?');
      const out = await f.waitOutgoing(chat, 3);
      expect(out.slice(1).map((m) => m.body)).toEqual([
        "Sorry, I don't know that one yet.",
        "Sorry, I don't know that one yet.",
      ]);
      const missed = await waitDelivered('faq.missed', chat, 2);
      expect(missed.map((e) => e.data.missesInRow)).toEqual([1, 2]);
      const [handoff] = await waitDelivered('automation.handoff.started', chat);
      expect(handoff!.data).toMatchObject({ reason: 'faq_misses', botId });

      await f.inbound(peer, 'How long does shipping take?');
      await f.waitHandled(chat, 4);
      await sleep(1500);
      expect(await f.outgoing(chat)).toHaveLength(3);
    });
  });
});
