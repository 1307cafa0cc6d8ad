import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { GatewayNode } from '@wwb/gateway';
import { waitFor } from '@wwb/testing';
import {
  ConfiguredWhatsAppDriverFactory,
  SimulatorDriverFactory,
  WebJsDriverFactory,
  WhatsAppDriverFactory,
  WhatsAppSessionStore,
} from '@wwb/whatsapp';
import {
  fakeWebOptions,
  FakeWhatsAppWebControl,
} from '../fixtures/fake-whatsapp-web/fake-whatsapp-web.control';
import { auth } from './support/connections-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PEER = '15557654321@c.us';

/**
 * The real whatsapp-web.js driver answers too: a gateway runs the connection with the webjs
 * driver in real Chromium against the local fake WhatsApp Web page; an inbound message typed
 * into the page goes through Kafka to the worker's automation consumer, whose reply goes back
 * through the send use case and the gateway into the page.
 */
describe('auto-reply through the webjs driver (e2e: real Chromium, fake WhatsApp Web, Kafka, FerretDB)', () => {
  let s: MessagingStack;
  let gateway: INestApplication;
  let key: string;
  let connectionId: string;
  const control = new FakeWhatsAppWebControl();
  const dataDir = mkdtempSync(join(tmpdir(), 'wwb-auto-webjs-'));

  beforeAll(async () => {
    s = await MessagingStack.start({ WHATSAPP_DRIVER: 'webjs', WHATSAPP_DATA_DIR: dataDir });
    await s.startWorker();
    // The gateway role as in production, except that its webjs drivers load the fake page.
    const moduleRef = await Test.createTestingModule({ imports: [GatewayModule.forRoot(s.stack.config)] })
      .overrideProvider(WhatsAppDriverFactory)
      .useFactory({
        inject: [WhatsAppSessionStore],
        factory: (store: WhatsAppSessionStore) => {
          const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
          return new ConfiguredWhatsAppDriverFactory(
            ['webjs'],
            {
              webjs: new WebJsDriverFactory({
                chromiumPath: CHROMIUM_PATH,
                dataDir,
                logger,
                sessionStore: store,
                pageObserver: control,
                defaults: { ...fakeWebOptions(), readyTimeoutMs: 30_000, authTimeoutMs: 20_000 },
              }),
              simulator: new SimulatorDriverFactory({ logger, sessionStore: store }),
            },
            logger,
          );
        },
      })
      .compile();
    gateway = moduleRef.createNestApplication();
    await gateway.init();
    await gateway.get(GatewayNode).consumer!.joined;

    key = (await s.stack.account()).key;
    const created = await s.http
      .post('/v1/connections')
      .set(auth(key))
      .send({ name: 'webjs support', driver: 'webjs' })
      .expect(201);
    connectionId = created.body.id as string;
    await s.stack.waitForStatus(key, connectionId, 'qr', 90_000);
    await control.scan(connectionId, { phone: '15551230009', pushName: 'Acme' });
    await s.stack.waitForStatus(key, connectionId, 'ready', 90_000);
  });

  afterAll(async () => {
    await gateway?.close();
    await s?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an inbound message typed into WhatsApp Web is answered by the matching rule', async () => {
    const rule = await s.http
      .post('/v1/auto-replies')
      .set(auth(key))
      .send({
        name: 'Prices',
        conditions: { mode: 'all', items: [{ type: 'text', op: 'keywords', values: ['price', 'prices'] }] },
        actions: [{ type: 'reply', text: 'Our prices are on acme.example/prices' }],
      })
      .expect(201);
    const ruleId = rule.body.id as string;

    await control.inbound(connectionId, { from: PEER, body: 'Hi! What is the PRICE of a box?' });

    const sent = await waitFor(
      async () =>
        ((await control.sent(connectionId)) as { body?: string; to?: string }[]).find(
          (m) => m.body === 'Our prices are on acme.example/prices',
        ),
      { timeoutMs: 60_000, intervalMs: 250, what: 'the auto-reply in the fake WhatsApp Web page' },
    );
    expect(sent).toBeDefined();

    // The conversation shows the reply as the rule's, sent through the send use case.
    const reply = await s.waitForChatMessage(
      key,
      connectionId,
      PEER,
      (m) => m.fromMe === true && m.body === 'Our prices are on acme.example/prices',
      60_000,
    );
    expect(reply).toMatchObject({ source: 'auto_reply', ruleId, messageId: expect.stringMatching(/^msg_/) });

    // Exactly one reply, even though the inbound event may be seen by several consumers.
    await new Promise((r) => setTimeout(r, 2_000));
    const replies = ((await control.sent(connectionId)) as { body?: string }[]).filter(
      (m) => m.body === 'Our prices are on acme.example/prices',
    );
    expect(replies).toHaveLength(1);
  });
});
