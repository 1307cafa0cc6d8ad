/**
 * One contract, two drivers: the real whatsapp-web.js driver (Chromium + the fake WhatsApp Web
 * page served through the library's own webVersionCache) and the simulator must behave alike.
 */
import { WhatsAppDriver, WhatsAppDriverError } from '@wwb/whatsapp';
import { waitFor } from '@wwb/testing';
import { DriverHarness, EventRecorder, SimulatorHarness, WebJsHarness } from './driver.harness';

jest.setTimeout(90_000);

const PEER = '15550002222@c.us';
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function describeDriverContract(makeHarness: () => DriverHarness): void {
  let h: DriverHarness;

  beforeAll(() => {
    h = makeHarness();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  /** A started driver, scanned and ready, with its event recorder. */
  async function linked(phone = '15550001111'): Promise<{ driver: WhatsAppDriver; rec: EventRecorder }> {
    const driver = h.create();
    const rec = new EventRecorder(driver);
    await driver.start();
    await rec.next('qr');
    await h.scan(driver, { phone, pushName: 'Contract Tester' });
    await driver.waitForStatus('ready', 20_000);
    return { driver, rec };
  }

  it('start -> qr -> scan -> authenticated -> ready', async () => {
    const driver = h.create();
    const rec = new EventRecorder(driver);
    expect(driver.state.status).toBe('stopped');
    await driver.start();
    const { qr } = await rec.next('qr');
    expect(typeof qr).toBe('string');
    expect(qr.length).toBeGreaterThan(10);
    expect(driver.state.status).toBe('qr');
    expect(driver.qr).toBe(qr);

    await h.scan(driver, { phone: '15550001111', pushName: 'Contract Tester' });
    const ready = await rec.next('ready');
    expect(ready).toEqual({
      phoneNumber: '15550001111',
      pushName: 'Contract Tester',
      chatId: '15550001111@c.us',
    });
    expect(rec.statuses()).toEqual(['starting', 'qr', 'authenticated', 'ready']);
    expect(rec.of('authenticated')).toHaveLength(1);
    expect(driver.account?.phoneNumber).toBe('15550001111');
    expect(driver.qr).toBeUndefined();
    await driver.stop();
    expect(driver.state.status).toBe('stopped');
  });

  it('offers a pairing code instead of the QR, only while waiting for the scan', async () => {
    const driver = h.create();
    const rec = new EventRecorder(driver);
    await driver.start();
    await rec.next('qr');
    const code = await driver.requestPairingCode('+1 555 000 1111');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect((await rec.next('pairing_code')).code).toBe(code);
    await expect(driver.requestPairingCode('12')).rejects.toMatchObject({ code: 'invalid_message' });
    await h.scan(driver);
    await driver.waitForStatus('ready', 20_000);
    await expect(driver.requestPairingCode('15550001111')).rejects.toMatchObject({ code: 'not_ready' });
    await driver.stop();
  });

  it('sends text and media; acks go sent -> delivered -> read', async () => {
    const { driver, rec } = await linked();
    const sent = await driver.sendMessage(PEER, { type: 'text', text: 'hello contract' });
    expect(sent.messageId).toMatch(/^true_15550002222@c\.us_/);
    expect(Math.abs(sent.timestamp - Date.now())).toBeLessThan(60_000);

    const created = await rec.next('message.created', (m) => m.id === sent.messageId);
    expect(created).toMatchObject({
      chatId: PEER,
      to: PEER,
      fromMe: true,
      type: 'text',
      body: 'hello contract',
      hasMedia: false,
    });
    await rec.next('message.ack', (a) => a.messageId === sent.messageId && a.status === 'delivered');
    await h.read(driver, sent.messageId);
    await rec.next('message.ack', (a) => a.messageId === sent.messageId && a.status === 'read');
    const acks = rec
      .of('message.ack')
      .filter((a) => a.messageId === sent.messageId)
      .map((a) => a.status);
    expect(acks).toEqual(['sent', 'delivered', 'read']);
    expect(rec.of('message.received')).toHaveLength(0);

    const image = await driver.sendMessage(PEER, {
      type: 'image',
      media: { mimetype: 'image/png', data: PNG_1PX, filename: 'dot.png' },
      caption: 'a dot',
    });
    const createdImage = await rec.next('message.created', (m) => m.id === image.messageId);
    expect(createdImage).toMatchObject({ type: 'image', body: 'a dot', hasMedia: true });
    expect(createdImage.media?.mimetype).toBe('image/png');
    await rec.next('message.ack', (a) => a.messageId === image.messageId && a.status === 'delivered');
    await driver.stop();
  });

  it('receives an inbound message', async () => {
    const { driver, rec } = await linked();
    const id = await h.inbound(driver, { from: PEER, text: 'hi from a phone' });
    const msg = await rec.next('message.received', (m) => m.id === id);
    expect(msg).toMatchObject({
      chatId: PEER,
      from: PEER,
      to: '15550001111@c.us',
      fromMe: false,
      type: 'text',
      body: 'hi from a phone',
      hasMedia: false,
      mentions: [],
      vCards: [],
    });
    expect(msg.id).toMatch(/^false_15550002222@c\.us_/);
    expect(rec.of('message.created').filter((m) => m.id === id)).toHaveLength(0);
    await driver.stop();
  });

  it('replies to a message (quoted id)', async () => {
    const { driver, rec } = await linked();
    const inboundId = await h.inbound(driver, { from: PEER, text: 'question?' });
    await rec.next('message.received', (m) => m.id === inboundId);
    const reply = await driver.sendMessage(PEER, { type: 'text', text: 'answer', replyTo: inboundId });
    const created = await rec.next('message.created', (m) => m.id === reply.messageId);
    expect(created.quotedMessageId).toBe(inboundId);
    expect(created.body).toBe('answer');
    await driver.stop();
  });

  it('checks numbers and refuses what it cannot send', async () => {
    const { driver } = await linked();
    await expect(driver.checkNumber('+1 555 000 3333')).resolves.toEqual({
      registered: true,
      chatId: '15550003333@c.us',
    });
    await expect(driver.checkNumber('15550000000')).resolves.toEqual({ registered: false, chatId: null });
    await expect(driver.checkNumber('12')).rejects.toMatchObject({ code: 'invalid_message' });
    await expect(driver.sendMessage(PEER, { type: 'text', text: '   ' })).rejects.toBeInstanceOf(
      WhatsAppDriverError,
    );
    await expect(driver.sendMessage('not-a-chat', { type: 'text', text: 'x' })).rejects.toMatchObject({
      code: 'invalid_message',
    });
    await driver.stop();
    await expect(driver.sendMessage(PEER, { type: 'text', text: 'x' })).rejects.toMatchObject({
      code: 'not_ready',
    });
  });

  it('restores the session without a QR after stop and start', async () => {
    const { driver, rec } = await linked('15550004444');
    await driver.stop();
    expect(h.browserProcesses(driver)).toBe(0);
    rec.clear();
    await driver.start();
    const ready = await rec.next('ready');
    expect(ready.phoneNumber).toBe('15550004444');
    expect(rec.statuses()).toEqual(['starting', 'authenticated', 'ready']);
    expect(rec.of('qr')).toHaveLength(0);
    await driver.stop();
  });

  it('logout -> logged_out: terminal, no restart, session gone', async () => {
    const { driver, rec } = await linked();
    rec.clear();
    await driver.logout();
    expect(driver.state.status).toBe('logged_out');
    expect(driver.account).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(rec.statuses()).toEqual(['logged_out']);
    expect(h.browserProcesses(driver)).toBe(0);
    await expect(driver.sendMessage(PEER, { type: 'text', text: 'x' })).rejects.toMatchObject({
      code: 'not_ready',
    });

    // Starting again needs a new QR: the session was deleted.
    rec.clear();
    await driver.start();
    await rec.next('qr');
    expect(rec.statuses()).toEqual(['starting', 'qr']);
    await driver.stop();
  });

  it('comes back by itself after a crash', async () => {
    const { driver, rec } = await linked('15550005555');
    rec.clear();
    await h.crash(driver);
    await rec.next('status', (s) => s.status === 'disconnected');
    const disconnected = rec.of('status').find((s) => s.status === 'disconnected')!;
    expect(disconnected.reason).toBeTruthy();
    expect(disconnected.retryAt).toBeGreaterThan(0);
    expect(rec.of('disconnected')).toHaveLength(1);
    const ready = await rec.next('ready', () => true, 30_000);
    expect(ready.phoneNumber).toBe('15550005555');
    expect(rec.statuses()).toEqual(['disconnected', 'starting', 'authenticated', 'ready']);
    expect(driver.state.failures).toBe(0);
    const sent = await driver.sendMessage(PEER, { type: 'text', text: 'after the crash' });
    await rec.next('message.ack', (a) => a.messageId === sent.messageId && a.status === 'delivered');
    await driver.stop();
  });

  it('WhatsApp unreachable -> failed with a clear reason, retried with backoff', async () => {
    const driver = h.createUnreachable();
    const rec = new EventRecorder(driver);
    await driver.start();
    const failed = await rec.next('status', (s) => s.status === 'failed', 30_000);
    expect(failed.reason).toMatch(/unreachable/i);
    expect(failed.failures).toBe(1);
    expect(failed.retryAt).toBeGreaterThanOrEqual(failed.since);
    const again = await rec.next('status', (s) => s.status === 'failed' && s.failures === 2, 30_000);
    expect(again.reason).toMatch(/unreachable/i);
    expect(rec.statuses().slice(0, 4)).toEqual(['starting', 'failed', 'starting', 'failed']);
    await driver.stop();
    expect(driver.state.status).toBe('stopped');
    const count = rec.statuses().length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(rec.statuses()).toHaveLength(count);
    await waitFor(() => h.browserProcesses(driver) === 0, { timeoutMs: 5_000, what: 'no browser left' });
  });
}

describe('WhatsApp driver contract: simulator', () => {
  describeDriverContract(() => new SimulatorHarness());
});

describe('WhatsApp driver contract: webjs (whatsapp-web.js + Chromium + fake WhatsApp Web)', () => {
  describeDriverContract(() => new WebJsHarness());
});
