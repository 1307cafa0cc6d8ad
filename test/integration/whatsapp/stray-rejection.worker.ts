/**
 * Child process for webjs-resilience.test.ts: a real webjs driver on the fake page, then
 * unhandled rejections outside any test framework (Jest would catch them itself). Prints one
 * JSON line per step; the parent checks that the process survived and the client restarted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { WebJsDriver } from '@wwb/whatsapp';
import {
  fakeWebOptions,
  FakeWhatsAppWebControl,
} from '../../fixtures/fake-whatsapp-web/fake-whatsapp-web.control';

const say = (step: string, data: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ step, ...data })}\n`);
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wwb-stray-'));
  const control = new FakeWhatsAppWebControl();
  const driver = new WebJsDriver({
    connectionId: `stray_${process.pid}`,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    dataDir,
    backoff: { initialMs: 200, maxMs: 1_000, factor: 2, jitter: 0 },
    healthCheckIntervalMs: 0,
    pageObserver: control,
    ...fakeWebOptions(),
  });
  driver.on('status', (s) => say('status', { status: s.status, reason: s.reason }));
  await driver.start();
  await driver.waitForStatus('qr', 20_000);
  await control.scan(driver.connectionId);
  await driver.waitForStatus('ready', 20_000);

  // 1. The page loses whatsapp-web.js' injection and a puppeteer-looking promise rejects with
  //    nobody listening: the guard must route it to the client, which finds itself broken.
  await control.page(driver.connectionId).evaluate(() => {
    (globalThis as unknown as { WWebJS?: unknown }).WWebJS = undefined;
  });
  void Promise.reject(new Error('Protocol error (Runtime.callFunctionOn): Execution context was destroyed.'));
  await driver.waitForStatus('disconnected', 10_000);
  await driver.waitForStatus('ready', 20_000);
  say('recovered');

  // 2. A stray rejection while every client is healthy: logged, nobody restarts, no crash.
  void Promise.reject(new Error('Protocol error (Page.navigate): Target closed'));
  // 3. An unrelated rejection: logged, no crash.
  void Promise.reject(new Error('some unrelated bug'));
  await new Promise((r) => setTimeout(r, 1_500));
  say('alive', { status: driver.state.status });

  await driver.stop();
  rmSync(dataDir, { recursive: true, force: true });
  say('done');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say('error', { message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  },
);
