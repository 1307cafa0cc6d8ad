import pino from 'pino';
import { MemorySessionStore } from '../sessions/memory-session.store';
import { WhatsAppDriverEvents } from '../whatsapp.driver';
import { SimulatorDriver } from './simulator.driver';

const PEER = '15550002222@c.us';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function make(
  store = new MemorySessionStore(),
  extra: Partial<ConstructorParameters<typeof SimulatorDriver>[0]> = {},
) {
  const driver = new SimulatorDriver({
    connectionId: 'con_sim',
    logger: pino({ level: 'silent' }),
    sessionStore: store,
    startDelayMs: 1,
    qrRefreshMs: 40,
    ackDelaysMs: { sent: 5, delivered: 10 },
    backoff: { initialMs: 20, maxMs: 100, factor: 2, jitter: 0 },
    ...extra,
  });
  const events: { name: keyof WhatsAppDriverEvents; payload: unknown }[] = [];
  for (const name of [
    'status',
    'qr',
    'ready',
    'message.created',
    'message.received',
    'message.ack',
    'message.reaction',
    'message.revoked',
    'message.edited',
    'disconnected',
  ] as const) {
    driver.on(name, (payload) => void events.push({ name, payload }));
  }
  return { driver, events, store };
}

describe('SimulatorDriver', () => {
  it('refreshes the QR code until scanned', async () => {
    const { driver, events } = make();
    await driver.start();
    await sleep(150);
    const qrs = events.filter((e) => e.name === 'qr').map((e) => (e.payload as { qr: string }).qr);
    expect(qrs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(qrs).size).toBe(qrs.length);
    expect(driver.qr).toBe(qrs.at(-1));
    await driver.scan();
    const count = qrs.length;
    await sleep(100);
    expect(events.filter((e) => e.name === 'qr')).toHaveLength(count);
    await driver.stop();
  });

  it('derives a stable default phone number per connection and persists the session', async () => {
    const { driver, store } = make();
    await driver.start();
    await driver.waitForStatus('qr');
    const account = await driver.scan();
    expect(account.phoneNumber).toMatch(/^1555\d{7}$/);
    expect(await store.sessionExists({ session: 'simulator-con_sim' })).toBe(true);
    await driver.stop();
    const again = make(store).driver;
    await again.start();
    await again.waitForStatus('ready');
    expect(again.account).toEqual(account);
    await again.stop();
  });

  it('acks outgoing messages sent then delivered; manual acks, reactions, edits and revokes', async () => {
    const { driver, events } = make();
    await driver.start();
    await driver.waitForStatus('qr');
    await driver.scan({ phoneNumber: '15550001111' });
    const { messageId } = await driver.sendMessage(PEER, { type: 'text', text: 'x' });
    await sleep(40);
    driver.ack(messageId, 'read');
    const acks = events
      .filter((e) => e.name === 'message.ack')
      .map((e) => (e.payload as { status: string }).status);
    expect(acks).toEqual(['sent', 'delivered', 'read']);
    expect(() => driver.ack('nope', 'read')).toThrow(/no outgoing message/);

    const inbound = driver.inbound({ from: '+1 555 000 2222', text: 'hey' });
    driver.react(messageId, '👍', PEER);
    driver.edit(inbound.id, 'hey!');
    driver.revoke(inbound.id);
    expect(events.find((e) => e.name === 'message.reaction')?.payload).toMatchObject({
      messageId,
      reaction: '👍',
      from: PEER,
    });
    expect(events.find((e) => e.name === 'message.edited')?.payload).toMatchObject({
      body: 'hey!',
      previousBody: 'hey',
    });
    expect(events.find((e) => e.name === 'message.revoked')?.payload).toMatchObject({
      messageId: inbound.id,
      fromMe: false,
    });
    await driver.stop();
  });

  it('phoneMessage: a message typed on the linked phone is ours (message.created, fromMe) with a phone key id, then acked', async () => {
    const { driver, events } = make(undefined, { now: () => 1_700_000_000_000 });
    await driver.start();
    await driver.waitForStatus('qr');
    expect(() => driver.phoneMessage({ to: PEER, text: 'too early' })).toThrow(/not ready/);
    await driver.scan({ phoneNumber: '15550001111' });

    const msg = driver.phoneMessage({ to: '+1 555 000 2222', text: 'Hi, Anna here' });
    expect(msg).toMatchObject({
      chatId: PEER,
      from: '15550001111@c.us',
      to: PEER,
      fromMe: true,
      type: 'text',
      rawType: 'chat',
      body: 'Hi, Anna here',
      timestamp: 1_700_000_000_000,
    });
    // WhatsApp Web's own sends use `3EB0…` key ids; a phone's look different.
    expect(msg.id).toMatch(new RegExp(`^true_${PEER}_3A[0-9A-F]{18}$`));
    expect(events.filter((e) => e.name === 'message.created').map((e) => e.payload)).toEqual([msg]);
    expect(events.some((e) => e.name === 'message.received')).toBe(false);
    await sleep(40);
    expect(
      events
        .filter((e) => e.name === 'message.ack')
        .map((e) => e.payload as { messageId: string; status: string }),
    ).toEqual([
      expect.objectContaining({ messageId: msg.id, chatId: PEER, status: 'sent' }),
      expect.objectContaining({ messageId: msg.id, chatId: PEER, status: 'delivered' }),
    ]);
    driver.ack(msg.id, 'read');
    driver.edit(msg.id, 'Hi, Anna from support here');
    expect(events.find((e) => e.name === 'message.edited')?.payload).toMatchObject({
      messageId: msg.id,
      previousBody: 'Hi, Anna here',
    });

    const group = driver.phoneMessage({ to: '123-456@g.us', text: 'hi all', id: '3AFIXED' });
    expect(group).toMatchObject({ id: 'true_123-456@g.us_3AFIXED', chatId: '123-456@g.us', fromMe: true });
    await driver.stop();
  });

  it('normalizes inbound media, locations and group messages', async () => {
    const { driver } = make();
    await driver.start();
    await driver.waitForStatus('qr');
    await driver.scan({ phoneNumber: '15550001111' });
    expect(
      driver.inbound({
        from: PEER,
        type: 'audio',
        voice: true,
        media: { mimetype: 'audio/ogg', data: 'AAAA' },
      }),
    ).toMatchObject({
      type: 'audio',
      rawType: 'ptt',
      hasMedia: true,
      media: { mimetype: 'audio/ogg', size: 3, voice: true },
    });
    expect(driver.inbound({ from: PEER, location: { latitude: 1, longitude: 2 } })).toMatchObject({
      type: 'location',
      location: { latitude: 1, longitude: 2 },
    });
    const g = driver.inbound({ from: '123-456@g.us', author: PEER, text: 'hi all', id: 'ABC' });
    expect(g).toMatchObject({ id: `false_123-456@g.us_ABC_${PEER}`, chatId: '123-456@g.us', author: PEER });
    await driver.stop();
  });

  it('disconnect(LOGOUT) is terminal and deletes the session; other reasons restart and restore', async () => {
    const { driver, events, store } = make();
    await driver.start();
    await driver.waitForStatus('qr');
    await driver.scan();
    await driver.disconnect('CONFLICT');
    expect(driver.state).toMatchObject({ status: 'disconnected', reason: 'CONFLICT', failures: 1 });
    await driver.waitForStatus('ready', 2_000);
    await driver.disconnect('LOGOUT');
    expect(driver.state).toMatchObject({ status: 'logged_out', reason: 'logged out from the phone' });
    expect(await store.sessionExists({ session: 'simulator-con_sim' })).toBe(false);
    expect(
      events.filter((e) => e.name === 'disconnected').map((e) => (e.payload as { reason: string }).reason),
    ).toEqual(['CONFLICT', 'LOGOUT']);
    await sleep(100);
    expect(driver.state.status).toBe('logged_out');
  });

  it('unreachable: failed with growing backoff until reachable again', async () => {
    const { driver, events } = make();
    driver.setReachable(false);
    await driver.start();
    await sleep(120);
    const failed = events.filter(
      (e) => e.name === 'status' && (e.payload as { status: string }).status === 'failed',
    );
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.map((e) => (e.payload as { failures: number }).failures).slice(0, 2)).toEqual([1, 2]);
    driver.setReachable(true);
    await driver.waitForStatus('qr', 2_000);
    await driver.stop();
  });

  it('a failing session store makes the start fail and retry', async () => {
    const store = new MemorySessionStore();
    let down = true;
    store.sessionExists = async () => {
      if (down) throw new Error('mongo down');
      return false;
    };
    const { driver } = make(store);
    await driver.start();
    const failed = await driver.waitForStatus('failed', 1_000);
    expect(failed.reason).toMatch(/session store unavailable: mongo down/);
    down = false;
    await driver.waitForStatus('qr', 2_000);
    await driver.stop();
  });
});
