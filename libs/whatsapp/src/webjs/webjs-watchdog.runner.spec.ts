import { EventEmitter } from 'node:events';
import pino from 'pino';
import type { Client } from 'whatsapp-web.js';
import type { DriverStatus } from '../core/connection-state.machine';
import type { ClassifiedFailure } from './webjs-failure.classifier';
import type { WebJsBrowser, WebJsPage } from './webjs-page.observer';
import { FaultStatus, WebJsWatchdogRunner } from './webjs-watchdog.runner';

interface Fault {
  gen: number;
  failure: ClassifiedFailure;
  status: FaultStatus;
}

class FakePage extends EventEmitter {
  closed = false;
  answer: boolean | 'hang' = true;
  isClosed(): boolean {
    return this.closed;
  }
  evaluate(_fn: unknown, _status: string): Promise<boolean> {
    return this.answer === 'hang' ? new Promise(() => undefined) : Promise.resolve(this.answer);
  }
}

class FakeBrowser extends EventEmitter {
  connected = true;
  readonly pipe = new EventEmitter();
  process(): { stdio: EventEmitter[] } {
    return { stdio: [this.pipe] };
  }
}

describe('WebJsWatchdogRunner', () => {
  let generation: number;
  let status: DriverStatus;
  let faults: Fault[];
  let page: FakePage;
  let browser: FakeBrowser;
  let client: Client;
  let watchdog: WebJsWatchdogRunner;

  beforeEach(() => {
    jest.useFakeTimers();
    generation = 1;
    status = 'ready';
    faults = [];
    page = new FakePage();
    browser = new FakeBrowser();
    client = { pupPage: page, pupBrowser: browser } as unknown as Client;
    watchdog = new WebJsWatchdogRunner(
      {
        readyTimeoutMs: 5_000,
        healthCheckIntervalMs: 1_000,
        probeTimeoutMs: 300,
        logger: pino({ level: 'silent' }),
      },
      {
        generation: () => generation,
        status: () => status,
        fault: (gen, failure, s) => faults.push({ gen, failure, status: s }),
      },
    );
  });

  afterEach(() => {
    watchdog.clearTimers();
    jest.useRealTimers();
  });

  it('fails a start that is not ready in time', () => {
    watchdog.armReadyTimer(1);
    jest.advanceTimersByTime(4_999);
    expect(faults).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(faults).toEqual([
      {
        gen: 1,
        failure: { kind: 'ready_timeout', reason: 'WhatsApp Web not ready within 5000 ms' },
        status: 'failed',
      },
    ]);
  });

  it('restarts the ready timer when armed again, and forgets it when cleared', () => {
    watchdog.armReadyTimer(1);
    jest.advanceTimersByTime(4_000);
    watchdog.armReadyTimer(1);
    jest.advanceTimersByTime(4_000);
    expect(faults).toEqual([]);
    watchdog.clearReadyTimer();
    jest.advanceTimersByTime(10_000);
    expect(faults).toEqual([]);
  });

  it('restarts a ready client after two failed probes in a row, not one', async () => {
    watchdog.armHealthCheck(1, client);
    page.answer = false;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(faults).toEqual([]);
    page.answer = true;
    await jest.advanceTimersByTimeAsync(1_000);
    page.answer = false;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(faults).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ gen: 1, status: 'disconnected', failure: { kind: 'unknown' } });
  });

  it('counts a probe that does not answer in time as failed', async () => {
    page.answer = 'hang';
    watchdog.armHealthCheck(1, client);
    await jest.advanceTimersByTimeAsync(1_300);
    await jest.advanceTimersByTimeAsync(1_300);
    expect(faults).toHaveLength(1);
  });

  it('stops probing a replaced client', async () => {
    page.answer = false;
    watchdog.armHealthCheck(1, client);
    generation = 2;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(faults).toEqual([]);
  });

  it('probes the page only while ready or showing a QR', async () => {
    page.answer = false;
    status = 'authenticated';
    await expect(watchdog.probe(client)).resolves.toBe(true);
    status = 'qr';
    await expect(watchdog.probe(client)).resolves.toBe(false);
    page.answer = true;
    browser.connected = false;
    await expect(watchdog.probe(client)).resolves.toBe(false);
  });

  it('reports the browser or page going away as a crash of its generation', () => {
    watchdog.watchBrowser(3, browser as unknown as WebJsBrowser, page as unknown as WebJsPage);
    browser.emit('disconnected');
    page.emit('close');
    page.emit('error', new Error('boom'));
    expect(faults.map((f) => [f.gen, f.failure.kind, f.failure.reason, f.status])).toEqual([
      [3, 'browser_crashed', 'browser disconnected (crashed or killed)', 'disconnected'],
      [3, 'browser_crashed', 'page closed', 'disconnected'],
      [3, 'browser_crashed', 'page crashed: boom', 'disconnected'],
    ]);
    // A pipe error after the browser died must not become an uncaught exception.
    expect(() => browser.pipe.emit('error', new Error('ECONNRESET'))).not.toThrow();
  });

  it('routes a failed re-injection to a fault instead of the process', async () => {
    const internals = { inject: () => Promise.reject(new Error('Execution context was destroyed')) };
    watchdog.guardInjections(4, internals as unknown as Client);
    await expect(internals.inject()).resolves.toBeUndefined();
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ gen: 4, status: 'disconnected' });
  });
});
