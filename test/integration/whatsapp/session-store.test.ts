/**
 * Sessions kept in MongoDB GridFS (FerretDB here) through a mongoose connection: the store
 * itself, then a connection moving to "another node" (another driver, another data folder)
 * without a new QR, for the webjs driver (RemoteAuth) and the simulator.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Connection } from 'mongoose';
import { GridFsSessionStore, SimulatorDriver, WebJsDriver } from '@wwb/whatsapp';
import { testEnv } from '@wwb/testing';
import {
  fakeWebOptions,
  FakeWhatsAppWebControl,
} from '../../fixtures/fake-whatsapp-web/fake-whatsapp-web.control';
import { CHROMIUM_PATH, EventRecorder, newConnectionId, TEST_BACKOFF, testLogger } from './driver.harness';

jest.setTimeout(120_000);

let connection: Connection;
const started: { stop(): Promise<void> }[] = [];
let store: GridFsSessionStore;
const dir = mkdtempSync(join(tmpdir(), 'wwb-gridfs-'));

beforeAll(async () => {
  connection = await mongoose
    .createConnection(testEnv().MONGO_URI, { serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  store = new GridFsSessionStore(connection, 'wa_sessions_test');
});

afterAll(async () => {
  await Promise.allSettled(started.map((d) => d.stop()));
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GridFsSessionStore', () => {
  it('saves, replaces, extracts and deletes an archive', async () => {
    const a = join(dir, 'a.zip');
    const big = Buffer.alloc(600 * 1024, 7); // several GridFS chunks (255 kB each)
    big.write('version-1');
    writeFileSync(a, big);
    expect(await store.sessionExists({ session: 's1' })).toBe(false);
    await store.save({ session: 's1', path: a });
    expect(await store.sessionExists({ session: 's1' })).toBe(true);

    writeFileSync(a, 'version-2');
    await store.save({ session: 's1', path: a });
    const files = await connection
      .db!.collection('wa_sessions_test.files')
      .find({ filename: 's1.zip' })
      .toArray();
    expect(files).toHaveLength(1);

    const out = join(dir, 'out.zip');
    await store.extract({ session: 's1', path: out });
    expect(readFileSync(out, 'utf8')).toBe('version-2');

    await store.delete({ session: 's1' });
    expect(await store.sessionExists({ session: 's1' })).toBe(false);
    expect(await connection.db!.collection('wa_sessions_test.chunks').countDocuments()).toBe(0);
    await expect(store.extract({ session: 's1', path: out })).rejects.toThrow(/no stored session/);
    await store.delete({ session: 'never-existed' });
  });

  it('round-trips binary archives byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256));
    const a = join(dir, 'bin.zip');
    writeFileSync(a, bytes);
    await store.save({ session: 'bin', path: a });
    const out = join(dir, 'bin-out.zip');
    await store.extract({ session: 'bin', path: out });
    expect(Buffer.compare(readFileSync(out), bytes)).toBe(0);
  });
});

describe('a connection moves to another node without a new QR', () => {
  it('simulator: the session saved by one driver is restored by another', async () => {
    const id = newConnectionId('simmove');
    const first = new SimulatorDriver({
      connectionId: id,
      logger: testLogger(),
      sessionStore: store,
      startDelayMs: 10,
    });
    await first.start();
    await first.waitForStatus('qr');
    await first.scan({ phoneNumber: '15550007777', pushName: 'Mover' });
    await first.stop();

    const second = new SimulatorDriver({
      connectionId: id,
      logger: testLogger(),
      sessionStore: store,
      startDelayMs: 10,
    });
    const rec = new EventRecorder(second);
    await second.start();
    await second.waitForStatus('ready');
    expect(rec.statuses()).toEqual(['starting', 'authenticated', 'ready']);
    expect(second.account).toEqual({
      phoneNumber: '15550007777',
      pushName: 'Mover',
      chatId: '15550007777@c.us',
    });
    await second.logout();
    expect(await store.sessionExists({ session: `simulator-${id}` })).toBe(false);
  });

  it('webjs (RemoteAuth): the zipped profile saved on stop is restored from GridFS elsewhere', async () => {
    const id = newConnectionId('wjmove');
    const control = new FakeWhatsAppWebControl();
    const node = (name: string) => {
      const d = new WebJsDriver({
        connectionId: id,
        logger: testLogger(),
        chromiumPath: CHROMIUM_PATH,
        dataDir: join(dir, name),
        sessionStore: store,
        remoteBackup: { firstDelayMs: 60_000, intervalMs: 60_000 },
        backoff: TEST_BACKOFF,
        pageObserver: control,
        ...fakeWebOptions(),
      });
      started.push(d);
      return d;
    };
    const first = node('node-a');
    await first.start();
    await first.waitForStatus('qr', 20_000);
    await control.scan(id, { phone: '15550008888', pushName: 'Remote' });
    await first.waitForStatus('ready', 20_000);
    await first.stop(); // final backup to GridFS
    expect(await store.sessionExists({ session: `RemoteAuth-${id}` })).toBe(true);

    const second = node('node-b');
    const rec = new EventRecorder(second);
    await second.start();
    await second.waitForStatus('ready', 30_000);
    expect(rec.statuses()).toEqual(['starting', 'authenticated', 'ready']);
    expect(second.account?.phoneNumber).toBe('15550008888');

    await second.logout();
    expect(second.state.status).toBe('logged_out');
    expect(await store.sessionExists({ session: `RemoteAuth-${id}` })).toBe(false);
  });
});
