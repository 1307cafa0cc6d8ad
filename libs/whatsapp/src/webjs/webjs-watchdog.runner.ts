import type { Logger } from 'pino';
import { withTimeout } from '@wwb/infrastructure';
import type { Client } from 'whatsapp-web.js';
import type { DriverStatus } from '../core/connection-state.machine';
import { ClassifiedFailure, classifyFailure } from './webjs-failure.classifier';
import type { WebJsBrowser, WebJsPage } from './webjs-page.observer';

export interface WebJsWatchdogOptions {
  /** From `starting` or `authenticated` to `ready`. */
  readyTimeoutMs: number;
  /** Probe period while ready (0 = off). */
  healthCheckIntervalMs: number;
  probeTimeoutMs: number;
  logger: Logger;
}

/** What a fault does to the status until the restart: a failed start, or a lost session. */
export type FaultStatus = 'failed' | 'disconnected';

/** The driver as the watchdog sees it. */
export interface WatchedDriver {
  /** The current client's generation: timers of an older client do nothing. */
  generation(): number;
  status(): DriverStatus;
  /** Restarts the client of generation `gen` (ignored if it was replaced meanwhile). */
  fault(gen: number, failure: ClassifiedFailure, status: FaultStatus): void;
}

/**
 * Notices a client that breaks or hangs: the browser or its page going away, an injection
 * failing after a navigation, no `ready` in time after a start or a scan, or, while ready, a
 * page that stops answering (two probes in a row). Each is reported once per generation.
 */
export class WebJsWatchdogRunner {
  private readyTimer?: NodeJS.Timeout;
  private healthTimer?: NodeJS.Timeout;

  constructor(
    private readonly options: WebJsWatchdogOptions,
    private readonly driver: WatchedDriver,
  ) {}

  /** Reports the browser's and the page's end as a crash of client `gen`. */
  watchBrowser(gen: number, browser: WebJsBrowser, page: WebJsPage): void {
    const proc = browser.process();
    // With `pipe: true` puppeteer removes its own 'error' listeners from the browser's pipes when
    // it closes the transport; a read error arriving after that (ECONNRESET as Chromium dies)
    // would be an uncaught exception that takes the whole process down. Keep one listener for
    // the life of the pipes.
    for (const stream of proc?.stdio ?? []) {
      stream?.on('error', (err: Error) =>
        this.options.logger.debug({ err: err.message }, 'browser pipe error after the browser went away'),
      );
    }
    browser.on('disconnected', () =>
      this.driver.fault(
        gen,
        { kind: 'browser_crashed', reason: 'browser disconnected (crashed or killed)' },
        'disconnected',
      ),
    );
    page.on('close', () =>
      this.driver.fault(gen, { kind: 'browser_crashed', reason: 'page closed' }, 'disconnected'),
    );
    page.on('error', (err: Error) =>
      this.driver.fault(
        gen,
        { kind: 'browser_crashed', reason: `page crashed: ${err.message}` },
        'disconnected',
      ),
    );
  }

  /**
   * After initialize, whatsapp-web.js re-injects on every navigation without a catch: route
   * those errors to client `gen` instead of the process.
   */
  guardInjections(gen: number, client: Client): void {
    const internals = client as unknown as { inject?: () => Promise<void> };
    const inject = internals.inject?.bind(client);
    if (!inject) return;
    internals.inject = async () => {
      try {
        await inject();
      } catch (err) {
        this.driver.fault(gen, classifyFailure(err), 'disconnected');
      }
    };
  }

  armReadyTimer(gen: number): void {
    this.clearReadyTimer();
    const ms = this.options.readyTimeoutMs;
    this.readyTimer = setTimeout(
      () =>
        this.driver.fault(
          gen,
          { kind: 'ready_timeout', reason: `WhatsApp Web not ready within ${ms} ms` },
          'failed',
        ),
      ms,
    );
  }

  clearReadyTimer(): void {
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.readyTimer = undefined;
  }

  armHealthCheck(gen: number, client: Client): void {
    const every = this.options.healthCheckIntervalMs;
    if (!every) return;
    let misses = 0;
    const tick = async (): Promise<void> => {
      if (gen !== this.driver.generation()) return;
      const healthy = await this.probe(client);
      if (gen !== this.driver.generation()) return;
      misses = healthy ? 0 : misses + 1;
      if (misses >= 2) {
        this.driver.fault(
          gen,
          { kind: 'unknown', reason: 'WhatsApp Web stopped answering (health check)' },
          'disconnected',
        );
        return;
      }
      this.healthTimer = setTimeout(() => void tick(), every);
    };
    this.healthTimer = setTimeout(() => void tick(), every);
  }

  clearTimers(): void {
    this.clearReadyTimer();
    if (this.healthTimer) clearTimeout(this.healthTimer);
    this.healthTimer = undefined;
  }

  /** Browser connected, page open and WhatsApp Web answering in the state we believe it is in. */
  async probe(client: Client): Promise<boolean> {
    const browser = client.pupBrowser;
    const page = client.pupPage;
    if (!browser?.connected || !page || page.isClosed()) return false;
    const status = this.driver.status();
    if (status !== 'ready' && status !== 'qr') return true;
    try {
      return await withTimeout(
        page.evaluate((expect: string) => {
          const w = globalThis as unknown as {
            WWebJS?: unknown;
            AuthStore?: unknown;
            require?: (m: string) => { Socket?: { state?: string } } | undefined;
          };
          if (expect === 'qr') return w.AuthStore !== undefined;
          const state = w.require?.('WAWebSocketModel')?.Socket?.state;
          return (
            w.WWebJS !== undefined && ['CONNECTED', 'OPENING', 'PAIRING', 'TIMEOUT'].includes(state ?? '')
          );
        }, status),
        this.options.probeTimeoutMs,
        'health probe',
      );
    } catch {
      return false;
    }
  }
}
