import { resolve } from 'node:path';
import { withTimeout } from '@wwb/infrastructure';
import { Client } from 'whatsapp-web.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../core/backoff.policy';
import type { NumberCheckResult, OutgoingMessage, SendResult } from '../whatsapp-message.dto';
import { WhatsAppDriver } from '../whatsapp.driver';
import { connectionMarker, killMarkedProcesses, killMarkedProcessesSync } from './chromium-process.util';
import { GuardedClient, UnhandledRejectionGuard } from './unhandled-rejection.guard';
import { DEFAULT_REMOTE_BACKUP, WebJsAuthStrategy } from './webjs-auth.strategy';
import {
  ClassifiedFailure,
  classifyDisconnect,
  classifyFailure,
  errorMessage,
} from './webjs-failure.classifier';
import {
  ResolvedWebJsDriverOptions,
  WEBJS_DRIVER_DEFAULTS,
  webJsClientOptions,
  WebJsDriverOptions,
} from './webjs-driver.options';
import { bridgeMessageEvents } from './webjs-message.events';
import { WebJsOperationsClient } from './webjs-operations.client';
import { WebJsProfileStore } from './webjs-profile.store';
import { FaultStatus, WebJsWatchdogRunner } from './webjs-watchdog.runner';

// Importers (the factory, the lib's index) take the options type from the driver.
export type { WebJsDriverOptions } from './webjs-driver.options';

/**
 * The real driver: whatsapp-web.js 1.34.7 driving Debian's Chromium through puppeteer-core.
 * One browser per connection, marked `--wa-connection=<id>`; orphans with the marker are
 * killed before each (re)start. Crashes, protocol errors, a rejected initialize (including
 * the string 'auth timeout'), an unreachable WhatsApp Web and a missing `ready` all restart the
 * client with exponential backoff; LOGOUT, an unpaired device, an auth failure and a ban are
 * terminal. Every handler checks a generation number, so a late event of a replaced client is
 * ignored.
 */
export class WebJsDriver extends WhatsAppDriver implements GuardedClient {
  readonly kind = 'webjs' as const;
  readonly connectionId: string;
  readonly marker: string;

  private readonly opts: ResolvedWebJsDriverOptions;
  private readonly clientId: string;
  private readonly dataDir: string;
  private readonly guard: UnhandledRejectionGuard;
  private readonly now: () => number;
  private client?: Client;
  private auth?: WebJsAuthStrategy;
  private generation = 0;
  private running = false;
  private failures = 0;
  private linkedThisRun = false;
  private browserPid?: number;
  private retryTimer?: NodeJS.Timeout;
  private readonly watchdog: WebJsWatchdogRunner;
  private readonly profiles: WebJsProfileStore;
  private readonly operations: WebJsOperationsClient;
  private lock: Promise<void> = Promise.resolve();

  constructor(options: WebJsDriverOptions) {
    const logger = options.logger.child({ connectionId: options.connectionId, driver: 'webjs' });
    super(logger, options.now);
    this.opts = { ...WEBJS_DRIVER_DEFAULTS, ...options, logger };
    this.now = options.now ?? Date.now;
    this.connectionId = options.connectionId;
    this.clientId = options.connectionId.replace(/[^\w-]/g, '_');
    this.marker = connectionMarker(options.connectionId);
    this.dataDir = resolve(options.dataDir);
    this.guard = options.guard ?? UnhandledRejectionGuard.forProcess(options.logger);
    this.watchdog = new WebJsWatchdogRunner(this.opts, {
      generation: () => this.generation,
      status: () => this.state.status,
      fault: (gen, failure, status) => this.onFault(gen, failure, status),
    });
    this.profiles = new WebJsProfileStore(logger);
    this.operations = new WebJsOperationsClient(
      this.connectionId,
      { client: () => this.client, status: () => this.state.status },
      this.now,
    );
  }

  /** The browser's pid while one runs (tests kill it to simulate a crash). */
  get pid(): number | undefined {
    return this.browserPid;
  }

  // ---------------------------------------------------------------- lifecycle

  start(): Promise<void> {
    return this.serial(async () => {
      if (this.running) return;
      this.running = true;
      this.failures = 0;
      this.guard.register(this);
      await this.launch();
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      this.running = false;
      this.invalidate();
      const hadSession = this.linkedThisRun;
      await this.teardown();
      if (hadSession && this.auth?.isRemote) await this.auth.backupNow();
      this.guard.unregister(this);
      this.setStatus('stopped', { reason: 'stopped' });
    });
  }

  logout(): Promise<void> {
    return this.serial(async () => {
      this.running = false;
      this.invalidate();
      const client = this.client;
      if (client && this.state.status === 'ready') {
        try {
          await withTimeout(client.logout(), 15_000, 'logout');
        } catch (err) {
          this.logger.warn({ err }, 'logout through WhatsApp Web failed; deleting the session anyway');
        }
      }
      await this.teardown();
      await this.deleteSessionData();
      this.guard.unregister(this);
      this.currentAccount = undefined;
      this.setStatus('logged_out', { reason: 'logged out' });
    });
  }

  private async launch(): Promise<void> {
    const gen = ++this.generation;
    this.clearTimers();
    this.setStatus('starting', { failures: this.failures });
    this.linkedThisRun = false;
    const killed = await killMarkedProcesses(this.marker);
    if (killed.length)
      this.logger.warn({ pids: killed }, 'killed orphaned Chromium processes of this connection');
    let client: Client;
    try {
      this.auth = this.newAuth(gen);
      await this.profiles.removeLocks(this.auth.profileDir);
      client = this.createClient(gen, this.auth);
    } catch (err) {
      this.onFault(gen, classifyFailure(err), 'failed');
      return;
    }
    this.client = client;
    this.watchdog.armReadyTimer(gen);
    client.initialize().then(
      () => this.onInitialized(gen, client),
      (err: unknown) => this.onFault(gen, classifyFailure(err), 'failed'),
    );
  }

  private newAuth(gen: number): WebJsAuthStrategy {
    return new WebJsAuthStrategy({
      clientId: this.clientId,
      dataDir: this.dataDir,
      store: this.opts.sessionStore,
      backup: this.opts.remoteBackup ?? DEFAULT_REMOTE_BACKUP,
      logger: this.logger,
      onBrowser: (c) => this.onBrowser(gen, c),
    });
  }

  private createClient(gen: number, auth: WebJsAuthStrategy): Client {
    const client = new Client(webJsClientOptions(this.opts, auth.strategy, this.dataDir));
    this.wireClient(gen, client);
    return client;
  }

  private onBrowser(gen: number, client: Client): void {
    if (gen !== this.generation) return;
    const browser = client.pupBrowser;
    const page = client.pupPage;
    if (!browser || !page) return;
    this.browserPid = browser.process()?.pid;
    this.logger.debug({ pid: this.browserPid }, 'browser started');
    this.watchdog.watchBrowser(gen, browser, page);
    try {
      this.opts.pageObserver?.pageOpened(this.connectionId, page, browser);
    } catch (err) {
      this.logger.warn({ err }, 'page observer failed');
    }
  }

  private onInitialized(gen: number, client: Client): void {
    if (gen !== this.generation) return;
    this.watchdog.guardInjections(gen, client);
    this.logger.debug('whatsapp-web.js initialized');
  }

  private wireClient(gen: number, client: Client): void {
    const live = (): boolean => gen === this.generation && this.running;
    const me = (): string | undefined => this.currentAccount?.chatId;

    client.on('qr', (qr: string) => {
      if (!live()) return;
      this.watchdog.clearReadyTimer();
      this.currentQr = qr;
      this.setStatus('qr');
      this.emit('qr', { qr });
    });
    client.on('code', (code: string) => {
      if (live()) this.emit('pairing_code', { code });
    });
    client.on('authenticated', () => {
      if (!live()) return;
      this.currentQr = undefined;
      this.setStatus('authenticated');
      this.emit('authenticated', {});
      this.watchdog.armReadyTimer(gen);
    });
    client.on('auth_failure', (message: string) => {
      if (live()) this.terminal(gen, 'failed', `authentication failed: ${message}`, false);
    });
    client.on('ready', () => {
      if (!live()) return;
      this.watchdog.clearReadyTimer();
      const wid = client.info?.wid;
      const phoneNumber = wid?.user ?? '';
      this.currentAccount = {
        phoneNumber,
        pushName: client.info?.pushname ?? '',
        chatId: wid?._serialized ?? `${phoneNumber}@c.us`,
      };
      this.failures = 0;
      this.linkedThisRun = true;
      this.setStatus('ready', { failures: 0 });
      this.emit('ready', this.currentAccount);
      this.watchdog.armHealthCheck(gen, client);
    });
    client.on('disconnected', (reason: unknown) => {
      if (live()) this.onDisconnected(gen, String(reason));
    });
    client.on('change_state', (state: unknown) => {
      if (live()) this.logger.debug({ state }, 'WhatsApp Web socket state');
    });

    bridgeMessageEvents(client, {
      live,
      me,
      now: this.now,
      emit: (event, payload) => this.emit(event, payload),
    });
  }

  private onDisconnected(gen: number, reason: string): void {
    switch (classifyDisconnect(reason)) {
      case 'logged_out':
        this.terminal(
          gen,
          'logged_out',
          reason === 'LOGOUT' ? 'logged out from the phone' : `device unlinked (${reason})`,
          true,
        );
        return;
      case 'banned':
        this.terminal(gen, 'failed', `account blocked by WhatsApp (${reason})`, false);
        return;
      case 'qr_exhausted':
        this.terminal(gen, 'failed', 'QR code not scanned in time', false);
        return;
      case 'restart':
        this.onFault(gen, { kind: 'unknown', reason: `disconnected: ${reason}` }, 'disconnected');
    }
  }

  /** Ends the lifecycle for good (no restart): logged out, banned, auth failure. */
  private terminal(
    gen: number,
    status: 'logged_out' | 'failed',
    reason: string,
    deleteSession: boolean,
  ): void {
    if (gen !== this.generation || !this.running) return;
    this.running = false;
    this.invalidate();
    this.emit('disconnected', { reason });
    void this.serial(async () => {
      await this.teardown();
      if (deleteSession) await this.deleteSessionData();
      this.guard.unregister(this);
      if (status === 'logged_out') this.currentAccount = undefined;
      this.setStatus(status, { reason });
    });
  }

  /** Something broke: tear the client down and schedule a restart with backoff. */
  private onFault(gen: number, failure: ClassifiedFailure, status: FaultStatus): void {
    if (gen !== this.generation || !this.running) return;
    const current = this.invalidate();
    const wasLinked = this.state.status === 'ready' || this.state.status === 'authenticated';
    this.logger.warn(
      { kind: failure.kind, reason: failure.reason, status },
      'WhatsApp client failed; restarting',
    );
    if (wasLinked || status === 'disconnected') this.emit('disconnected', { reason: failure.reason });
    void this.serial(async () => {
      await this.teardown();
      if (!this.running || this.generation !== current) return;
      this.failures += 1;
      const delay = backoffDelay(this.failures, this.opts.backoff ?? DEFAULT_BACKOFF);
      const retryAt = this.now() + delay;
      this.setStatus(status, { reason: failure.reason, failures: this.failures, retryAt });
      this.retryTimer = setTimeout(() => {
        void this.serial(async () => {
          if (this.running && this.generation === current) await this.launch();
        });
      }, delay);
    });
  }

  /** Invalidates every pending handler and timer of the current client; returns the new generation. */
  private invalidate(): number {
    this.generation += 1;
    this.clearTimers();
    return this.generation;
  }

  private async teardown(): Promise<void> {
    this.clearTimers();
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await withTimeout(client.destroy(), this.opts.destroyTimeoutMs, 'client.destroy');
      } catch (err) {
        this.logger.debug({ err }, 'client.destroy failed; killing the browser');
      }
    }
    await killMarkedProcesses(this.marker);
    this.browserPid = undefined;
  }

  private deleteSessionData(): Promise<void> {
    return this.profiles.deleteSession(() => this.auth ?? this.newAuth(this.generation));
  }

  private clearTimers(): void {
    this.watchdog.clearTimers();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.auth?.cancelBackups();
  }

  // ---------------------------------------------------------------- GuardedClient

  async onStrayError(error: unknown): Promise<boolean> {
    const client = this.client;
    const gen = this.generation;
    if (!this.running || !client) return false;
    if (await this.watchdog.probe(client)) return false;
    if (gen !== this.generation) return false;
    this.onFault(
      gen,
      { kind: 'unknown', reason: `client broken after an unhandled error: ${errorMessage(error)}` },
      'disconnected',
    );
    return true;
  }

  killBrowserSync(): void {
    killMarkedProcessesSync(this.marker);
  }

  // ---------------------------------------------------------------- operations

  async sendMessage(chatId: string, content: OutgoingMessage): Promise<SendResult> {
    return this.operations.sendMessage(chatId, content);
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    return this.operations.requestPairingCode(phoneNumber);
  }

  async checkNumber(phoneNumber: string): Promise<NumberCheckResult> {
    return this.operations.checkNumber(phoneNumber);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
