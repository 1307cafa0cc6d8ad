/**
 * Hand-off on request: a person takes a chat over from automation through the API (the console's
 * "Take over") and gives it back. The API only publishes automation.handoff.requested, keyed by the
 * chat; the automation worker owning the chat applies it in order with the chat's messages.
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
import { person } from './support/console-people';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

const GREETING = 'Hi! How can we help?';

describe('chat hand-off requests (e2e: take over, give back)', () => {
  let s: MessagingStack;
  let a: AutomationDriver;
  let account: { id: string; key: string };
  let other: { id: string; key: string };

  const handoffPath = (chat: string, rest = '') =>
    `/v1/connections/${a.connectionId}/chats/${encodeURIComponent(chat)}/handoff${rest}`;
  const logged = async (type: string, chatId: string): Promise<EventEnvelope<Json>[]> => {
    const res = await s.http.get(`/v1/events?types=${type}&limit=1000`).set(auth(account.key)).expect(200);
    return (res.body.data as EventEnvelope<Json>[]).filter((e) => e.chatId === chatId);
  };
  const waitState = async (chat: string, paused: boolean): Promise<Json> => {
    let last: Json = {};
    await waitFor(
      async () => {
        const res = await s.http.get(handoffPath(chat)).set(auth(account.key)).expect(200);
        last = res.body as Json;
        return last.paused === paused;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `hand-off state paused=${paused} in ${chat}` },
    );
    return last;
  };

  beforeAll(async () => {
    // A cap above the replies one chat gets here, so only a hand-off can silence the bot.
    s = await MessagingStack.start({ ...AUTOMATION_TEST_ENV, AUTOMATION_MAX_REPLIES_PER_CHAT: '10' });
    await s.startWorker();
    await s.stack.startGateway();
    account = await s.stack.account();
    other = await s.stack.account();
    const con = await s.readyConnection(account.key, '+15551250001');
    a = new AutomationDriver(s, account.key, con);
    await a.rule({
      name: 'Greeting',
      conditions: { mode: 'all', items: [{ type: 'text', op: 'contains', value: 'hello' }] },
      actions: [{ type: 'reply', text: GREETING }],
    });
    await ruleCacheCatchUp();
  });

  afterAll(async () => {
    await s?.close();
  });

  it('take over silences the bot in that chat only; give back makes it answer again', async () => {
    const peer = '+15557200001';
    const chat = chatOf(peer);
    await a.inbound(peer, 'hello');
    await a.waitOutgoing(chat, 1);
    expect(await s.http.get(handoffPath(chat)).set(auth(account.key)).expect(200)).toMatchObject({
      body: { chatId: chat, paused: false, until: null, reason: null, requestedBy: null },
    });

    // The phone number works as the chat too.
    const took = await s.http
      .post(handoffPath(peer, '/take-over'))
      .set(auth(account.key))
      .send({ minutes: 90 })
      .expect(202);
    expect(took.body).toEqual({
      requestId: expect.any(String),
      chatId: chat,
      action: 'take_over',
      minutes: 90,
      requestedAt: expect.any(String),
    });
    const state = await waitState(chat, true);
    expect(state).toMatchObject({ reason: 'human_reply', ruleId: null, botId: null });
    expect(state.requestedBy).toEqual(expect.any(String));
    const until = Date.parse(state.until as string);
    expect(until - Date.now()).toBeGreaterThan(89 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(90 * 60_000);

    const started = await waitFor(async () => (await logged('automation.handoff.started', chat))[0], {
      timeoutMs: 30_000,
      what: 'automation.handoff.started',
    });
    expect(started!.data).toMatchObject({ reason: 'human_reply', triggerEventId: took.body.requestId });
    const [requested] = await logged('automation.handoff.requested', chat);
    expect(requested!.data).toEqual({
      chatId: chat,
      action: 'take_over',
      minutes: 90,
      requestedBy: state.requestedBy,
    });

    // Silence while taken over: handled (inbound, request, inbound), not answered, while a chat
    // written to afterwards is answered, so a reply to the paused chat would have shown by now.
    await a.inbound(peer, 'hello? anyone?');
    await a.waitHandled(chat, 3);
    const control = chatOf('+15557200009');
    await a.inbound('+15557200009', 'hello');
    await a.waitOutgoing(control, 1);
    await sleep(500);
    expect(await a.outgoing(chat)).toHaveLength(1);

    await s.http.post(handoffPath(chat, '/give-back')).set(auth(account.key)).expect(202);
    await waitState(chat, false);
    const ended = await waitFor(async () => (await logged('automation.handoff.ended', chat))[0], {
      timeoutMs: 30_000,
      what: 'automation.handoff.ended',
    });
    expect(ended!.data).toMatchObject({ chatId: chat, reason: 'resumed' });

    await a.inbound(peer, 'hello again');
    const replies = await a.waitOutgoing(chat, 2);
    expect(replies.map((m) => m.body)).toEqual([GREETING, GREETING]);
  });

  it('support may take over and give back; a viewer reads the state but may not change it', async () => {
    const chat = chatOf('+15557200002');
    const acc = { ...account, keyId: '' };
    const support = await person(s.http, acc, 'support');
    const viewer = await person(s.http, acc, 'viewer');
    const took = await s.http
      .post(handoffPath(chat, '/take-over'))
      .set({ ...support.cookie, ...support.csrf })
      .send({})
      .expect(202);
    expect(took.body).not.toHaveProperty('minutes');
    const state = await waitState(chat, true);
    // No minutes: AUTOMATION_HUMAN_PAUSE_MINUTES (30 in these tests).
    expect(Date.parse(state.until as string) - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(state.requestedBy).toBe(support.userId);

    const seen = await s.http.get(handoffPath(chat)).set(viewer.cookie).expect(200);
    expect(seen.body).toMatchObject({ paused: true, requestedBy: support.userId });
    const refused = await s.http
      .post(handoffPath(chat, '/give-back'))
      .set({ ...viewer.cookie, ...viewer.csrf })
      .expect(403);
    expect(refused.body.code).toBe('forbidden_role');

    await s.http
      .post(handoffPath(chat, '/give-back'))
      .set({ ...support.cookie, ...support.csrf })
      .expect(202);
    await waitState(chat, false);
  });

  it("another account's connection, or none, is 404; a bad body or chat is 400 with its code", async () => {
    const chat = chatOf('+15557200003');
    for (const req of [
      s.http.get(handoffPath(chat)).set(auth(other.key)),
      s.http.post(handoffPath(chat, '/take-over')).set(auth(other.key)).send({}),
      s.http.post(handoffPath(chat, '/give-back')).set(auth(other.key)),
      s.http.get(`/v1/connections/con_nothing/chats/${chat}/handoff`).set(auth(account.key)),
    ]) {
      const res = await req;
      expect([res.status, res.body.code]).toEqual([404, 'not_found']);
    }

    for (const minutes of [0, 43_201, 1.5, 'ten', null]) {
      const res = await s.http.post(handoffPath(chat, '/take-over')).set(auth(account.key)).send({ minutes });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
      expect(JSON.stringify(res.body.details)).toMatch(/minutes/);
    }
    const badChat = await s.http
      .post(`/v1/connections/${a.connectionId}/chats/not-a-chat/handoff/take-over`)
      .set(auth(account.key))
      .send({});
    expect([badChat.status, badChat.body.code]).toEqual([400, 'invalid_chat_id']);
    // Nothing was asked for the other account's request or the refused ones.
    expect(await logged('automation.handoff.requested', chat)).toEqual([]);
  });
});
