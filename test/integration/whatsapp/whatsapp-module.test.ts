/** WhatsAppModule wiring: drivers allowed by configuration, session stores, shutdown. */
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigModule } from '@wwb/config';
import { ObservabilityModule } from '@wwb/observability';
import { PersistenceModule } from '@wwb/persistence';
import { RuntimeModule } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';
import {
  GridFsSessionStore,
  LocalDirectorySessionStore,
  SimulatorDriver,
  WebJsDriver,
  WhatsAppDriverFactory,
  WhatsAppModule,
  WhatsAppSessionStore,
} from '@wwb/whatsapp';

jest.setTimeout(30_000);

const dataDir = mkdtempSync(join(tmpdir(), 'wwb-module-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function moduleWith(env: Record<string, string>, sessions?: 'local' | 'mongo') {
  const config = testConfig({ WHATSAPP_DATA_DIR: dataDir, ...env });
  return Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      RuntimeModule,
      ObservabilityModule,
      ...(sessions === 'mongo' ? [PersistenceModule] : []),
      WhatsAppModule.forRoot({ sessions, simulator: { startDelayMs: 5 } }),
    ],
  }).compile();
}

it('creates the configured default driver and refuses kinds that are not enabled', async () => {
  const app = await moduleWith({ WHATSAPP_DRIVER: 'simulator' });
  const factory = app.get(WhatsAppDriverFactory);
  expect(factory.kinds).toEqual(['simulator']);
  const driver = factory.create('con_1');
  expect(driver).toBeInstanceOf(SimulatorDriver);
  expect(driver.connectionId).toBe('con_1');
  expect(() => factory.create('con_2', { kind: 'webjs' })).toThrow(/not enabled/);
  expect(app.get(WhatsAppSessionStore)).toBeInstanceOf(LocalDirectorySessionStore);

  await driver.start();
  await driver.waitForStatus('qr');
  await (driver as SimulatorDriver).scan({ phoneNumber: '15550006666' });
  await app.close(); // shutdown hook stops the running driver
  expect(driver.state.status).toBe('stopped');

  // The linked session survived in WHATSAPP_DATA_DIR/sessions: a new process restores it.
  const again = await moduleWith({ WHATSAPP_DRIVER: 'simulator' });
  const restored = again.get(WhatsAppDriverFactory).create('con_1');
  await restored.start();
  await restored.waitForStatus('ready');
  expect(restored.account?.phoneNumber).toBe('15550006666');
  await again.close();
});

it('allows per-connection choice when several drivers are listed (first = default)', async () => {
  const app = await moduleWith({ WHATSAPP_DRIVER: 'webjs,simulator' });
  const factory = app.get(WhatsAppDriverFactory);
  expect(factory.defaultKind).toBe('webjs');
  expect(factory.create('a')).toBeInstanceOf(WebJsDriver);
  expect(factory.create('b', { kind: 'simulator' })).toBeInstanceOf(SimulatorDriver);
  await app.close();
});

it('keeps sessions in GridFS with sessions: mongo', async () => {
  const app = await moduleWith({ WHATSAPP_DRIVER: 'simulator' }, 'mongo');
  await app.init();
  const store = app.get(WhatsAppSessionStore);
  expect(store).toBeInstanceOf(GridFsSessionStore);
  const driver = app.get(WhatsAppDriverFactory).create('con_mongo');
  await driver.start();
  await driver.waitForStatus('qr');
  await (driver as SimulatorDriver).scan();
  expect(await store.sessionExists({ session: 'simulator-con_mongo' })).toBe(true);
  await driver.logout();
  expect(await store.sessionExists({ session: 'simulator-con_mongo' })).toBe(false);
  await app.close();
});
