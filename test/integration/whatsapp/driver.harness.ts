import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { Logger } from 'pino';
import {
  BackoffOptions,
  connectionMarker,
  findMarkedProcesses,
  killMarkedProcesses,
  MemorySessionStore,
  SimulatorDriver,
  WebJsDriver,
  WebJsDriverOptions,
  WhatsAppDriver,
  WhatsAppDriverEventName,
  WhatsAppDriverEvents,
  WhatsAppSessionStore,
} from '@wwb/whatsapp';
import {
  fakeWebOptions,
  FakeWhatsAppWebControl,
} from '../../fixtures/fake-whatsapp-web/fake-whatsapp-web.control';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const TEST_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 1_000, factor: 2, jitter: 0 };

export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

let counter = 0;
export const newConnectionId = (prefix: string): string =>
  `${prefix}_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`;

/** What the contract suite needs from each driver: create it and play the phone's part. */
export interface DriverHarness {
  readonly name: 'webjs' | 'simulator';
  create(options?: { connectionId?: string; sessionStore?: WhatsAppSessionStore }): WhatsAppDriver;
  /** The phone scans the QR of a driver in status qr. */
  scan(driver: WhatsAppDriver, account?: { phone?: string; pushName?: string }): Promise<void>;
  /** A text message arrives from `from`; returns its id. */
  inbound(driver: WhatsAppDriver, message: { from: string; text: string }): Promise<string>;
  /** The recipient reads one of our messages. */
  read(driver: WhatsAppDriver, messageId: string): Promise<void>;
  /** The session dies abruptly (webjs: SIGKILL the browser). */
  crash(driver: WhatsAppDriver): Promise<void>;
  /** A driver for which WhatsApp Web cannot be reached. */
  createUnreachable(): WhatsAppDriver;
  /** Live browser processes of a driver (always 0 for the simulator). */
  browserProcesses(driver: WhatsAppDriver): number;
  cleanup(): Promise<void>;
}

export class WebJsHarness implements DriverHarness {
  readonly name = 'webjs' as const;
  readonly control = new FakeWhatsAppWebControl();
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'wwb-webjs-'));
  private readonly drivers: WhatsAppDriver[] = [];

  constructor(private readonly logger: Logger = testLogger()) {}

  create(
    options: {
      connectionId?: string;
      sessionStore?: WhatsAppSessionStore;
      webjs?: Partial<WebJsDriverOptions>;
    } = {},
  ): WebJsDriver {
    const driver = new WebJsDriver({
      connectionId: options.connectionId ?? newConnectionId('wj'),
      logger: this.logger,
      chromiumPath: CHROMIUM_PATH,
      dataDir: this.dataDir,
      backoff: TEST_BACKOFF,
      readyTimeoutMs: 20_000,
      authTimeoutMs: 15_000,
      healthCheckIntervalMs: 2_000,
      pageObserver: this.control,
      ...(options.sessionStore ? { sessionStore: options.sessionStore } : {}),
      ...fakeWebOptions(),
      ...options.webjs,
    });
    this.drivers.push(driver);
    return driver;
  }

  createUnreachable(): WebJsDriver {
    // The real whatsapp-web.js path to https://web.whatsapp.com/ (no fake page): offline here.
    const driver = new WebJsDriver({
      connectionId: newConnectionId('wjoff'),
      logger: this.logger,
      chromiumPath: CHROMIUM_PATH,
      dataDir: this.dataDir,
      backoff: TEST_BACKOFF,
      readyTimeoutMs: 20_000,
    });
    this.drivers.push(driver);
    return driver;
  }

  async scan(driver: WhatsAppDriver, account: { phone?: string; pushName?: string } = {}): Promise<void> {
    await this.control.scan(driver.connectionId, account);
  }

  async inbound(driver: WhatsAppDriver, message: { from: string; text: string }): Promise<string> {
    return this.control.inbound(driver.connectionId, { from: message.from, body: message.text });
  }

  async read(driver: WhatsAppDriver, messageId: string): Promise<void> {
    await this.control.ack(driver.connectionId, messageId, 3);
  }

  async crash(driver: WhatsAppDriver): Promise<void> {
    const pid = (driver as WebJsDriver).pid;
    if (!pid) throw new Error('no browser pid');
    process.kill(pid, 'SIGKILL');
  }

  browserProcesses(driver: WhatsAppDriver): number {
    return findMarkedProcesses(connectionMarker(driver.connectionId)).length;
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled(this.drivers.map((d) => d.stop()));
    await Promise.allSettled(this.drivers.map((d) => killMarkedProcesses(connectionMarker(d.connectionId))));
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export class SimulatorHarness implements DriverHarness {
  readonly name = 'simulator' as const;
  private readonly store = new MemorySessionStore();
  private readonly drivers: WhatsAppDriver[] = [];

  constructor(private readonly logger: Logger = testLogger()) {}

  create(options: { connectionId?: string; sessionStore?: WhatsAppSessionStore } = {}): SimulatorDriver {
    const driver = new SimulatorDriver({
      connectionId: options.connectionId ?? newConnectionId('sim'),
      logger: this.logger,
      sessionStore: options.sessionStore ?? this.store,
      backoff: TEST_BACKOFF,
      ackDelaysMs: { sent: 20, delivered: 60 },
      startDelayMs: 20,
    });
    this.drivers.push(driver);
    return driver;
  }

  createUnreachable(): SimulatorDriver {
    const driver = this.create();
    driver.setReachable(false);
    return driver;
  }

  async scan(driver: WhatsAppDriver, account: { phone?: string; pushName?: string } = {}): Promise<void> {
    await (driver as SimulatorDriver).scan({
      ...(account.phone ? { phoneNumber: account.phone } : {}),
      ...(account.pushName ? { pushName: account.pushName } : {}),
    });
  }

  async inbound(driver: WhatsAppDriver, message: { from: string; text: string }): Promise<string> {
    return (driver as SimulatorDriver).inbound({ from: message.from, text: message.text }).id;
  }

  async read(driver: WhatsAppDriver, messageId: string): Promise<void> {
    (driver as SimulatorDriver).ack(messageId, 'read');
  }

  async crash(driver: WhatsAppDriver): Promise<void> {
    await (driver as SimulatorDriver).disconnect('simulated crash');
  }

  browserProcesses(): number {
    return 0;
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled(this.drivers.map((d) => d.stop()));
  }
}

/** Records every event of a driver, in order, and waits for the ones a test expects. */
export class EventRecorder {
  readonly events: { name: WhatsAppDriverEventName; payload: unknown }[] = [];
  private readonly offs: (() => void)[] = [];

  constructor(private readonly driver: WhatsAppDriver) {
    const names: WhatsAppDriverEventName[] = [
      'status',
      'qr',
      'pairing_code',
      'authenticated',
      'ready',
      'message.received',
      'message.created',
      'message.ack',
      'message.revoked',
      'message.edited',
      'message.reaction',
      'group.join',
      'group.leave',
      'group.update',
      'call',
      'contact.changed',
      'disconnected',
    ];
    for (const name of names)
      this.offs.push(driver.on(name, (payload) => void this.events.push({ name, payload })));
  }

  statuses(): string[] {
    return this.of('status').map((s) => s.status);
  }

  of<K extends WhatsAppDriverEventName>(name: K): WhatsAppDriverEvents[K][] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload as WhatsAppDriverEvents[K]);
  }

  /** Resolves with the first (past or future) event `name` matching `match`. */
  async next<K extends WhatsAppDriverEventName>(
    name: K,
    match: (payload: WhatsAppDriverEvents[K]) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<WhatsAppDriverEvents[K]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of(name).find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.driver.connectionId}: no ${String(name)} event in ${timeoutMs} ms; statuses ${this.statuses().join(' > ')}; state ${JSON.stringify(this.driver.state)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  clear(): void {
    this.events.length = 0;
  }

  dispose(): void {
    for (const off of this.offs) off();
  }
}
