import pino from 'pino';
import { Clock } from '@wwb/runtime';
import type { ConnectionStateRecord } from '@wwb/connections';
import { MemorySessionStore, SimulatorDriver } from '@wwb/whatsapp';
import { ConnectionRuntime } from './connection.runtime';
import type { BridgedEvent } from '../events/driver-event.mapper';
import { OutgoingTagStore } from '../events/outgoing-tag.store';

const logger = pino({ level: 'silent' });

function setup(previousStatus: ConnectionStateRecord['status'] | null = null, tags?: OutgoingTagStore) {
  const store = new MemorySessionStore();
  const driver = new SimulatorDriver({
    connectionId: 'con_1',
    logger,
    sessionStore: store,
    startDelayMs: 1,
    ackDelaysMs: { sent: 1, delivered: 2 },
    backoff: { initialMs: 5, maxMs: 20, factor: 2, jitter: 0 },
  });
  const at = new Date('2026-12-01T10:00:00Z');
  const claimed: ConnectionStateRecord = {
    _id: 'con_1:0000000002',
    connectionId: 'con_1',
    accountId: 'acc_1',
    epoch: 2,
    nodeId: 'gw_1',
    status: 'starting',
    statusAt: at,
    failures: 0,
    startedAt: at,
    updatedAt: at,
  };
  const saved: ConnectionStateRecord[] = [];
  const events: BridgedEvent[] = [];
  const runtime = new ConnectionRuntime({
    driver,
    claimed,
    previousStatus,
    saveState: async (r) => {
      saved.push(r);
      return true;
    },
    publish: (e) => events.push(e),
    ...(tags ? { tagOf: (m) => tags.take('con_1', m) } : {}),
    now: () => new Date(),
    logger,
  });
  const last = () => saved[saved.length - 1]!;
  return { driver, store, runtime, saved, events, last };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('ConnectionRuntime', () => {
  it('publishes message.sent of our sends with our id and origin, and of phone-typed messages without', async () => {
    const tags = new OutgoingTagStore(new Clock());
    const { driver, runtime, events } = setup(null, tags);
    await runtime.start();
    await driver.waitForStatus('qr');
    await driver.scan({ phoneNumber: '15550001111' });
    await driver.waitForStatus('ready');

    const chat = '15557654321@c.us';
    const tag = { messageId: 'msg_1', origin: { source: 'auto_reply' as const, ruleId: 'rul_1' } };
    tags.expect('con_1', chat, tag);
    const ours = await driver.sendMessage(chat, { type: 'text', text: 'automated' });
    tags.settle('con_1', chat, tag, ours.messageId);
    const typed = await driver.sendMessage(chat, { type: 'text', text: 'typed on the phone' });
    await settle();
    const sent = events
      .filter((e) => e.type === 'message.sent')
      .map((e) => e.data as unknown as Record<string, unknown>);
    expect(sent.find((d) => d.waMessageId === ours.messageId)).toMatchObject({
      messageId: 'msg_1',
      origin: { source: 'auto_reply', ruleId: 'rul_1' },
    });
    const phone = sent.find((d) => d.waMessageId === typed.messageId)!;
    expect(phone.messageId).toBeUndefined();
    expect(phone.origin).toBeUndefined();
    await runtime.stop('test');
  });

  it('bridges the lifecycle to events and to one state document (QR, phone, push name)', async () => {
    const { driver, runtime, events, last } = setup('ready');
    await runtime.start();
    await driver.waitForStatus('qr');
    await settle();
    expect(last()).toMatchObject({ status: 'qr', qr: expect.stringMatching(/^2@/) });
    expect(events.map((e) => e.type)).toEqual(['connection.status', 'connection.status', 'connection.qr']);
    expect(events[0]!.data).toMatchObject({ status: 'starting', previousStatus: 'ready' });

    await driver.scan({ phoneNumber: '15550001111', pushName: 'Acme' });
    await settle();
    expect(last()).toMatchObject({ status: 'ready', phoneNumber: '15550001111', pushName: 'Acme' });
    expect(last().qr).toBeUndefined();
    expect(last().readyAt).toBeInstanceOf(Date);
    expect(events.slice(-4).map((e) => e.type)).toEqual([
      'connection.status',
      'connection.authenticated',
      'connection.status',
      'connection.ready',
    ]);

    const inbound = driver.inbound({ from: '+15557654321', text: 'hello' });
    const sent = await driver.sendMessage('15557654321@c.us', { type: 'text', text: 'hi back' });
    await new Promise((r) => setTimeout(r, 30));
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['message.received', 'message.sent', 'message.status']));
    expect(events.find((e) => e.type === 'message.received')!.data.waMessageId).toBe(inbound.id);
    expect(events.find((e) => e.type === 'message.sent')!.data.waMessageId).toBe(sent.messageId);
    expect(events.filter((e) => e.type === 'message.status').map((e) => e.data.status)).toEqual([
      'sent',
      'delivered',
    ]);

    await driver.disconnect('CONFLICT');
    await settle();
    expect(last()).toMatchObject({ lastError: 'CONFLICT' });
    await driver.waitForStatus('ready');
    await runtime.stop('moved to another gateway');
    expect(last()).toMatchObject({ status: 'stopped', statusReason: 'moved to another gateway' });
    expect(last().releasedAt).toBeInstanceOf(Date);
    expect(last().phoneNumber).toBe('15550001111');
  });

  it('logout of a driver that never ran still reports logged_out (and deletes the session)', async () => {
    const { store, runtime, events, last } = setup('ready');
    await store.save({ session: 'simulator-con_1', path: __filename });
    await runtime.logout();
    expect(store.size).toBe(0);
    expect(last()).toMatchObject({ status: 'logged_out', statusReason: 'logged out' });
    expect(events.map((e) => (e.type === 'connection.status' ? e.data.status : e.type))).toEqual([
      'logged_out',
    ]);
  });

  it('reports a driver that cannot start as failed, with the reason as last error', async () => {
    const { runtime, last, events } = setup();
    runtime.fail('driver "webjs" is not enabled');
    await runtime.close();
    expect(last()).toMatchObject({ status: 'failed', lastError: 'driver "webjs" is not enabled' });
    expect(events[0]!.data).toMatchObject({ status: 'failed', previousStatus: null });
  });

  it('WhatsApp unreachable: failed with the reason and a retry time, retried with backoff until it comes back', async () => {
    const { driver, runtime, events, last } = setup();
    driver.setReachable(false);
    await runtime.start();
    await waitUntil(() => driver.state.failures >= 3);
    await settle();
    const failed = events.flatMap((e) =>
      e.type === 'connection.status' && e.data.status === 'failed' ? [e.data] : [],
    );
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]!).toMatchObject({ reason: 'WhatsApp Web (simulated) is unreachable', failures: 1 });
    expect(failed[0]!.retryAt).toEqual(expect.any(String));
    expect(last()).toMatchObject({ lastError: 'WhatsApp Web (simulated) is unreachable' });
    expect(last().failures).toBeGreaterThanOrEqual(2);
    driver.setReachable(true);
    await driver.waitForStatus('qr', 2000);
    await settle();
    expect(last()).toMatchObject({ status: 'qr', lastError: 'WhatsApp Web (simulated) is unreachable' });
    expect(last().retryAt).toBeUndefined();
    await runtime.stop('test over');
  });
});

async function waitUntil(probe: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
