/**
 * A gateway PROCESS whose webjs drivers load the fake WhatsApp Web page (for fail-over tests
 * that SIGKILL a whole node). Configured by the environment like apps/gateway; plus
 * FAKE_WEB_DATA_DIR (this node's Chromium profiles: nodes share nothing but Mongo and Kafka).
 * Over the IPC channel it reports `{ op: 'ready', nodeId }` once it joined the group, and plays
 * the phone: `{ op: 'scan', ref, connectionId, phone }` answers `{ op: 'scanned', ref, error? }`.
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { loadConfig } from '@wwb/config';
import { GatewayNode, GatewayNodeIdentity } from '@wwb/gateway';
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
} from '../../fixtures/fake-whatsapp-web/fake-whatsapp-web.control';

interface ScanRequest {
  op: 'scan';
  ref: number;
  connectionId: string;
  phone: string;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const control = new FakeWhatsAppWebControl();
  const moduleRef = await Test.createTestingModule({ imports: [GatewayModule.forRoot(config)] })
    .overrideProvider(WhatsAppDriverFactory)
    .useFactory({
      inject: [WhatsAppSessionStore],
      factory: (store: WhatsAppSessionStore) => {
        const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
        return new ConfiguredWhatsAppDriverFactory(
          ['webjs'],
          {
            webjs: new WebJsDriverFactory({
              chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
              dataDir: process.env.FAKE_WEB_DATA_DIR!,
              logger,
              sessionStore: store,
              pageObserver: control,
              defaults: {
                ...fakeWebOptions(),
                readyTimeoutMs: 60_000,
                authTimeoutMs: 40_000,
                // Production waits a minute before the first backup of a new session; the test
                // waits for the backup itself, so it need not wait that long.
                remoteBackup: { firstDelayMs: 1_000, intervalMs: 60_000 },
              },
            }),
            simulator: new SimulatorDriverFactory({ logger, sessionStore: store }),
          },
          logger,
        );
      },
    })
    .compile();
  const app = moduleRef.createNestApplication();
  app.enableShutdownHooks();
  await app.init();
  await app.get(GatewayNode).consumer!.joined;

  process.on('message', (m: ScanRequest) => {
    if (m.op !== 'scan') return;
    control
      .scan(m.connectionId, { phone: m.phone })
      .then(() => process.send!({ op: 'scanned', ref: m.ref }))
      .catch((err: Error) => process.send!({ op: 'scanned', ref: m.ref, error: err.message }));
  });
  process.send!({ op: 'ready', nodeId: app.get(GatewayNodeIdentity).id });
}

main().catch((err: unknown) => {
  process.stderr.write(`webjs gateway failed to start: ${String(err)}\n`);
  process.exit(1);
});
