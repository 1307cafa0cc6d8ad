import { DisabledAccountsStore } from '@wwb/accounts';
import { NodeLivenessService, OutgoingTagStore } from '@wwb/gateway';
import pino from 'pino';
import { AppConfig } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { RetryableError } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { OutgoingMessage, SendResult, WhatsAppDriver, WhatsAppDriverError } from '@wwb/whatsapp';
import { MediaStore } from '../media';
import { MessageLinkRecord, MessageSendRecord, SendClaimState } from './message-send.schema';
import { MessageSendHandler, SendSession } from './message-send.handler';
import { MessageStatusProducer } from './message-status.producer';
import { MessageStatusRecord, NewStatus, OutboundMessageRepository } from '../outbound';
import { SendClaimRepository } from './send-claim.repository';

const MSG = 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';

/** In-memory claims with the same unique-insert semantics as Mongo. */
class FakeClaims {
  sends = new Map<string, MessageSendRecord>();
  links = new Map<string, MessageLinkRecord>();
  async generations(messageId: string) {
    return [...this.sends.values()].filter((g) => g.messageId === messageId).sort((a, b) => a.gen - b.gen);
  }
  async insert(r: MessageSendRecord) {
    if (this.sends.has(r._id)) return false;
    this.sends.set(r._id, { ...r });
    return true;
  }
  async setState(
    id: string,
    from: SendClaimState,
    to: SendClaimState,
    fields: Partial<MessageSendRecord> = {},
  ) {
    const g = this.sends.get(id);
    if (!g || g.state !== from) return false;
    this.sends.set(id, { ...g, ...fields, state: to });
    return true;
  }
  async link(r: MessageLinkRecord) {
    if (!this.links.has(r._id)) this.links.set(r._id, r);
  }
  /** The state of the newest generation. */
  latest(messageId: string) {
    const gens = [...this.sends.values()].filter((g) => g.messageId === messageId);
    return gens.reduce<MessageSendRecord | undefined>((a, b) => (!a || b.gen > a.gen ? b : a), undefined);
  }
}

/** Generation 0 of MSG's claim, `ageMs` old, as another handler left it. */
function generation0(
  state: SendClaimState,
  ageMs: number,
  nowMs: number,
  extra: Partial<MessageSendRecord> = {},
): MessageSendRecord {
  const at = new Date(nowMs - ageMs);
  return {
    _id: `${MSG}#0`,
    messageId: MSG,
    gen: 0,
    accountId: 'acc_1',
    connectionId: 'con_1',
    chatId: '15551234567@c.us',
    state,
    claimedAt: at,
    ...(state === 'sending' ? { sendingAt: at } : {}),
    ...extra,
  };
}

class FakeMessages {
  statuses = new Map<string, MessageStatusRecord>();
  settled: string[] = [];
  async recordStatus(s: NewStatus, recordedAt: Date) {
    const id = `${s.messageId}/${s.status}`;
    if (this.statuses.has(id)) return false;
    this.statuses.set(id, { _id: id, ...s, recordedAt });
    return true;
  }
  async statusesOf(messageId: string) {
    return [...this.statuses.values()].filter((s) => s.messageId === messageId);
  }
  async settle(id: string) {
    this.settled.push(id);
  }
  async forgetRequeue() {}
}

/** Heartbeats as a set: the nodes listed in `dead` stopped beating. */
class FakeLiveness {
  readonly self = 'gw_SELF';
  dead = new Set<string>();
  asked: string[][] = [];
  async deadAmong(ids: Iterable<string>) {
    const list = [...ids];
    this.asked.push(list);
    return new Set(list.filter((id) => this.dead.has(id)));
  }
}

class FakeDriver {
  sent: { chatId: string; content: OutgoingMessage }[] = [];
  ready = true;
  registered = true;
  failWith?: Error;
  sendDelayMs = 0;
  state = { status: 'ready' };
  async waitForStatus() {
    if (!this.ready) throw new Error('not ready in time');
    return this.state;
  }
  async checkNumber(digits: string) {
    return { registered: this.registered, chatId: this.registered ? `${digits}@c.us` : null };
  }
  async sendMessage(chatId: string, content: OutgoingMessage): Promise<SendResult> {
    if (this.sendDelayMs) await new Promise((r) => setTimeout(r, this.sendDelayMs));
    if (this.failWith) throw this.failWith;
    this.sent.push({ chatId, content });
    return { messageId: `true_${chatId}_3EB0${this.sent.length}`, timestamp: 1_800_000_000_000 };
  }
}

function command(
  message: Record<string, unknown> = { type: 'text', text: 'hi' },
  chatId = '15551234567@c.us',
) {
  return {
    id: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S9',
    type: 'gateway.message.send',
    version: 1,
    occurredAt: new Date().toISOString(),
    accountId: 'acc_1',
    connectionId: 'con_1',
    data: { messageId: MSG, chatId, message },
  } as EventEnvelope;
}

describe('MessageSendHandler', () => {
  let claims: FakeClaims;
  let messages: FakeMessages;
  let driver: FakeDriver;
  let events: { data: object }[];
  let media: Map<string, Buffer>;
  let now: number;
  let handler: MessageSendHandler;
  let session: SendSession;
  let config: AppConfig;
  let accounts: { disabled: Set<string>; isDisabled(id: string): boolean };
  let liveness: FakeLiveness;
  const build = () =>
    new MessageSendHandler(
      claims as unknown as SendClaimRepository,
      messages as unknown as OutboundMessageRepository,
      { read: async (_s: object, id: string) => media.get(id) } as unknown as MediaStore,
      {
        publish: async (_t: object, _c: string, data: object) => void events.push({ data }),
      } as unknown as MessageStatusProducer,
      new OutgoingTagStore({ nowMs: () => now } as unknown as Clock),
      accounts as unknown as DisabledAccountsStore,
      liveness as unknown as NodeLivenessService,
      { now: () => new Date(now), nowMs: () => now } as unknown as Clock,
      config,
      { child: () => pino({ level: 'silent' }) } as unknown as AppLogger,
    );

  beforeEach(() => {
    claims = new FakeClaims();
    liveness = new FakeLiveness();
    accounts = { disabled: new Set(), isDisabled: (id) => accounts.disabled.has(id) };
    messages = new FakeMessages();
    driver = new FakeDriver();
    events = [];
    media = new Map();
    now = Date.parse('2026-12-01T10:00:00Z');
    const clock = { now: () => new Date(now), nowMs: () => now } as unknown as Clock;
    const statusEvents = {
      publish: async (_t: object, _c: string, data: object) => void events.push({ data }),
    } as unknown as MessageStatusProducer;
    const store = { read: async (_s: object, id: string) => media.get(id) } as unknown as MediaStore;
    config = {
      messaging: { readyTimeoutMs: 50 },
      gateway: { sessionTimeoutMs: 1500 },
    } as unknown as AppConfig;
    const logger = { child: () => pino({ level: 'silent' }) } as unknown as AppLogger;
    handler = new MessageSendHandler(
      claims as unknown as SendClaimRepository,
      messages as unknown as OutboundMessageRepository,
      store,
      statusEvents,
      new OutgoingTagStore(clock),
      accounts as unknown as DisabledAccountsStore,
      liveness as unknown as NodeLivenessService,
      clock,
      config,
      logger,
    );
    session = { connectionId: 'con_1', accountId: 'acc_1', driver: driver as unknown as WhatsAppDriver };
  });

  it('sends once, records sent with the WhatsApp id and links it; a second delivery only re-publishes', async () => {
    await handler.handle(command(), session);
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(1);
    const waId = 'true_15551234567@c.us_3EB01';
    expect(messages.statuses.get(`${MSG}/sent`)).toMatchObject({ status: 'sent', waMessageId: waId });
    expect(claims.links.get(`con_1/${waId}`)).toMatchObject({ messageId: MSG });
    expect(claims.latest(MSG)?.state).toBe('done');
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ messageId: MSG, waMessageId: waId, status: 'sent' }),
      expect.objectContaining({ messageId: MSG, waMessageId: waId, status: 'sent' }),
    ]);
    expect(messages.settled).toEqual([MSG, MSG]);
  });

  it('parks a send whose connection waits for a QR scan: no wait, no driver call, one waiting claim; a later delivery after the ready timeout fails it not_ready', async () => {
    driver.state = { status: 'qr' };
    driver.ready = false;
    await handler.handle(command(), session); // returns at once (no RetryableError, no wait)
    expect(claims.latest(MSG)).toMatchObject({ gen: 0, state: 'waiting' });
    await handler.handle(command(), session); // a re-publish while parked writes nothing
    expect(claims.sends.size).toBe(1);
    expect(driver.sent).toHaveLength(0);
    expect(messages.settled).toEqual([]);

    now += 51; // MESSAGE_READY_TIMEOUT_MS (50 here) since the first delivery
    await handler.handle(command(), session);
    expect(messages.statuses.get(`${MSG}/failed`)).toMatchObject({ reason: { code: 'not_ready' } });
    expect(messages.settled).toEqual([MSG]);
  });

  it('a parked send goes out once its connection is ready', async () => {
    driver.state = { status: 'disconnected' };
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(0);
    driver.state = { status: 'ready' };
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(1);
    expect(messages.statuses.get(`${MSG}/sent`)).toBeDefined();
  });

  it('fails the sends of a disabled account (account_disabled), without calling WhatsApp', async () => {
    accounts.disabled.add('acc_1');
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(0);
    expect(messages.statuses.get(`${MSG}/failed`)).toMatchObject({ reason: { code: 'account_disabled' } });
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'account_disabled' }),
    ]);
  });

  it('two deliveries at the same time still send once', async () => {
    driver.sendDelayMs = 30;
    const results = await Promise.allSettled([
      handler.handle(command(), session),
      handler.handle(command(), session),
    ]);
    expect(driver.sent).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(RetryableError);
  });

  it('resolves a MediaRef from the store into base64 media', async () => {
    media.set('upl_A', Buffer.from('hello'));
    await handler.handle(
      command({
        type: 'document',
        caption: 'c',
        media: { uploadId: 'upl_A', mimetype: 'application/pdf', filename: 'a.pdf' },
      }),
      session,
    );
    expect(driver.sent[0]!.content).toEqual({
      type: 'document',
      caption: 'c',
      media: {
        mimetype: 'application/pdf',
        data: Buffer.from('hello').toString('base64'),
        filename: 'a.pdf',
      },
    });
  });

  it.each([
    ['number_not_on_whatsapp', (d: FakeDriver) => (d.registered = false)],
    ['not_ready', (d: FakeDriver) => (d.ready = false)],
    [
      'chat_not_found',
      (d: FakeDriver) => (d.failWith = new WhatsAppDriverError('chat_not_found', 'no chat')),
    ],
    ['send_failed', (d: FakeDriver) => (d.failWith = new Error('protocol error'))],
  ])('fails with %s, recorded and published, never retried', async (code, arrange) => {
    arrange(driver);
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(0);
    expect(messages.statuses.get(`${MSG}/failed`)?.reason?.code).toBe(code);
    expect(events[0]!.data).toMatchObject({ messageId: MSG, status: 'failed', reason: code });
    expect(claims.latest(MSG)?.state).toBe('done');
  });

  it('waits for ready across deliveries (parked claim), then fails not_ready once the timeout has passed', async () => {
    config = {
      messaging: { readyTimeoutMs: 60_000 },
      gateway: { sessionTimeoutMs: 1500 },
    } as unknown as AppConfig;
    handler = build();
    driver.ready = false;
    // Retried in place while the wait is short...
    await expect(handler.handle(command(), session)).rejects.toBeInstanceOf(RetryableError);
    expect(claims.latest(MSG)).toMatchObject({ state: 'waiting', waitingSince: new Date(now) });
    const firstWait = now;
    // ...then let go quietly (the sweeper re-publishes the pending message).
    now += 30_000;
    await handler.handle(command(), session);
    expect(claims.latest(MSG)).toMatchObject({ state: 'waiting', waitingSince: new Date(firstWait) });
    expect(messages.statuses.size).toBe(0);
    now += 31_000;
    await handler.handle(command(), session);
    expect(messages.statuses.get(`${MSG}/failed`)?.reason?.code).toBe('not_ready');
    expect(driver.sent).toHaveLength(0);
  });

  it('a parked message is sent by the next delivery once the connection is ready', async () => {
    config = {
      messaging: { readyTimeoutMs: 60_000 },
      gateway: { sessionTimeoutMs: 1500 },
    } as unknown as AppConfig;
    handler = build();
    driver.ready = false;
    await expect(handler.handle(command(), session)).rejects.toBeInstanceOf(RetryableError);
    driver.ready = true;
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(1);
    expect(claims.latest(MSG)?.state).toBe('done');
  });

  it('a missing upload fails the message with media_missing', async () => {
    await handler.handle(
      command({ type: 'image', media: { uploadId: 'upl_gone', mimetype: 'image/png' } }),
      session,
    );
    expect(messages.statuses.get(`${MSG}/failed`)?.reason?.code).toBe('media_missing');
  });

  it('a send interrupted during the driver call is failed, never repeated', async () => {
    claims.sends.set(`${MSG}#0`, generation0('sending', 600_000, now));
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(0);
    expect(messages.statuses.get(`${MSG}/failed`)?.reason?.code).toBe('send_interrupted');
  });

  it('a stale claim that never reached the driver is taken over and sent', async () => {
    claims.sends.set(`${MSG}#0`, generation0('claimed', 600_000, now));
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(1);
  });

  it('a fresh claim held elsewhere is retried later (RetryableError)', async () => {
    claims.sends.set(`${MSG}#0`, generation0('sending', 1000, now));
    await expect(handler.handle(command(), session)).rejects.toBeInstanceOf(RetryableError);
    expect(driver.sent).toHaveLength(0);
  });

  it('records which gateway holds each claim generation', async () => {
    await handler.handle(command(), session);
    expect([...claims.sends.values()].map((g) => g.nodeId)).toEqual(['gw_SELF']);
    expect(liveness.asked).toEqual([]); // nothing in flight elsewhere: no heartbeat read
  });

  it('a send whose gateway died during the driver call is failed at once, not after the sending lease', async () => {
    claims.sends.set(`${MSG}#0`, generation0('sending', 2_000, now, { nodeId: 'gw_KILLED' }));
    // Alive: the send is in progress over there, so this delivery backs off.
    await expect(handler.handle(command(), session)).rejects.toBeInstanceOf(RetryableError);
    expect(liveness.asked).toEqual([['gw_KILLED']]);
    // Its heartbeat stopped: never sent again, failed send_interrupted by this delivery.
    liveness.dead.add('gw_KILLED');
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(0);
    expect(messages.statuses.get(`${MSG}/failed`)?.reason?.code).toBe('send_interrupted');
    expect(claims.latest(MSG)).toMatchObject({ gen: 1, state: 'done', nodeId: 'gw_SELF' });
  });

  it('a fresh claim of a dead gateway (it never called WhatsApp) is taken over and sent at once', async () => {
    claims.sends.set(`${MSG}#0`, generation0('claimed', 1_000, now, { nodeId: 'gw_KILLED' }));
    await expect(handler.handle(command(), session)).rejects.toBeInstanceOf(RetryableError);
    expect(driver.sent).toHaveLength(0);
    liveness.dead.add('gw_KILLED');
    await handler.handle(command(), session);
    expect(driver.sent).toHaveLength(1);
    expect(messages.statuses.get(`${MSG}/sent`)).toBeDefined();
  });
});
