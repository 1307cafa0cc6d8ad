/**
 * webjs driver failure handling beyond the shared contract, with real Chromium and the fake page:
 * orphaned browsers, unhandled rejections, the phone unlinking the device, a renderer crash,
 * a missing `ready`, and the events the library emits besides messages.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionMarker, findMarkedProcesses, WebJsDriver } from '@wwb/whatsapp';
import { waitFor } from '@wwb/testing';
import { CHROMIUM_PATH, EventRecorder, WebJsHarness } from './driver.harness';

jest.setTimeout(90_000);

const PEER = '15550002222@c.us';
let h: WebJsHarness;

beforeAll(() => {
  h = new WebJsHarness();
});
afterAll(async () => {
  await h.cleanup();
});

async function linked(driver: WebJsDriver, rec: EventRecorder): Promise<void> {
  await driver.start();
  await rec.next('qr');
  await h.scan(driver);
  await driver.waitForStatus('ready', 20_000);
}

it('kills an orphaned browser of the same connection before starting', async () => {
  const driver = h.create();
  const profile = mkdtempSync(join(tmpdir(), 'wwb-orphan-'));
  const orphan = spawn(
    CHROMIUM_PATH,
    [
      '--headless',
      '--no-sandbox',
      `--user-data-dir=${profile}`,
      connectionMarker(driver.connectionId),
      'about:blank',
    ],
    { stdio: 'ignore', detached: true },
  );
  orphan.unref();
  await waitFor(() => findMarkedProcesses(connectionMarker(driver.connectionId)).includes(orphan.pid!), {
    timeoutMs: 10_000,
    what: 'orphan running',
  });
  const rec = new EventRecorder(driver);
  await driver.start();
  await rec.next('qr');
  const marked = findMarkedProcesses(connectionMarker(driver.connectionId));
  expect(marked).not.toContain(orphan.pid);
  expect(marked).toEqual([driver.pid]);
  await driver.stop();
  expect(findMarkedProcesses(connectionMarker(driver.connectionId))).toEqual([]);
  rmSync(profile, { recursive: true, force: true });
});

it('an unhandled rejection from a client restarts that client and never kills the process', () => {
  const result = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'stray-rejection.worker.ts')],
    { cwd: join(__dirname, '../../..'), encoding: 'utf8', timeout: 80_000, env: { ...process.env } },
  );
  const steps = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { step: string; status?: string; reason?: string });
  expect({ status: result.status, stderr: result.stderr.slice(-2_000) }).toMatchObject({ status: 0 });
  const names = steps.map((s) => (s.step === 'status' ? s.status : s.step));
  expect(names).toEqual([
    'starting',
    'qr',
    'authenticated',
    'ready',
    'disconnected',
    'starting',
    'authenticated',
    'ready',
    'recovered',
    'alive',
    'stopped',
    'done',
  ]);
  expect(steps.find((s) => s.status === 'disconnected')?.reason).toMatch(/unhandled error/);
  expect(steps.find((s) => s.step === 'alive')?.status).toBe('ready');
});

it('the phone unlinking the device is terminal: logged_out, session deleted, no restart', async () => {
  const driver = h.create();
  const rec = new EventRecorder(driver);
  await linked(driver, rec);
  rec.clear();
  await h.control.unpair(driver.connectionId);
  await driver.waitForStatus('logged_out', 10_000);
  expect(driver.state.reason).toMatch(/unlinked/);
  expect(rec.of('disconnected').map((d) => d.reason)).toEqual([driver.state.reason]);
  await new Promise((r) => setTimeout(r, 1_500));
  expect(rec.statuses()).toEqual(['logged_out']);
  expect(h.browserProcesses(driver)).toBe(0);
  rec.clear();
  await driver.start();
  await rec.next('qr');
  await driver.stop();
});

it('a renderer crash restarts the client and restores the session', async () => {
  const driver = h.create();
  const rec = new EventRecorder(driver);
  await linked(driver, rec);
  rec.clear();
  void h.control
    .page(driver.connectionId)
    .goto('chrome://crash')
    .catch(() => undefined);
  await rec.next('status', (s) => s.status === 'disconnected', 15_000);
  await rec.next('ready', () => true, 30_000);
  expect(rec.of('qr')).toHaveLength(0);
  await driver.stop();
});

it('no ready within readyTimeoutMs -> failed, retried', async () => {
  const driver = h.create();
  const rec = new EventRecorder(driver);
  await linked(driver, rec);
  // Next time WhatsApp Web stays "OPENING" forever after restoring the session.
  await h.control.page(driver.connectionId).evaluate(() => {
    (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(
      'fakewa.config',
      JSON.stringify({ openingMs: 3_600_000 }),
    );
  });
  await driver.stop();
  const stuck = h.create({ connectionId: driver.connectionId, webjs: { readyTimeoutMs: 2_000 } });
  const rec2 = new EventRecorder(stuck);
  await stuck.start();
  const failed = await rec2.next('status', (s) => s.status === 'failed', 15_000);
  expect(failed.reason).toMatch(/not ready within 2000 ms/);
  await rec2.next('status', (s) => s.status === 'starting' && s.failures === 1, 10_000);
  await stuck.stop();
  expect(h.browserProcesses(stuck)).toBe(0);
});

it('maps reactions, edits, revokes and group notifications', async () => {
  const driver = h.create();
  const rec = new EventRecorder(driver);
  await linked(driver, rec);
  const id = h.control;
  const sent = await driver.sendMessage(PEER, { type: 'text', text: 'react to me' });
  await id.react(driver.connectionId, sent.messageId, '❤', PEER);
  const reaction = await rec.next('message.reaction');
  expect(reaction).toMatchObject({ messageId: sent.messageId, from: PEER, reaction: '❤' });

  const inbound = await id.inbound(driver.connectionId, { from: PEER, body: 'typo' });
  await id.edit(driver.connectionId, inbound, 'fixed');
  expect(await rec.next('message.edited')).toMatchObject({
    messageId: inbound,
    chatId: PEER,
    body: 'fixed',
    previousBody: 'typo',
  });
  await id.revoke(driver.connectionId, inbound);
  expect(await rec.next('message.revoked')).toMatchObject({
    messageId: inbound,
    chatId: PEER,
    fromMe: false,
  });

  const group = '120363000000000001@g.us';
  await id.inbound(driver.connectionId, { from: group, type: 'gp2', subtype: 'add', author: PEER, body: '' });
  const join = await rec.next('group.join');
  expect(join).toMatchObject({ chatId: group, action: 'add', author: PEER });

  const reacted = await driver.sendMessage(PEER, { type: 'reaction', messageId: inbound, emoji: '👍' });
  expect(reacted.messageId).toBe(inbound);
  await driver.stop();
});
