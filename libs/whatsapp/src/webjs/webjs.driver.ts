import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { Client, Message, WebCacheOptions } from 'whatsapp-web.js';
import { BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from '../core/backoff.policy';
import { normalizePhoneNumber, toChatId } from '../core/phone-number.util';
import { validateOutgoingMessage } from '../core/outgoing-message.validator';
import { WhatsAppDriverError } from '../whatsapp-driver.error';
import type { NumberCheckResult, OutgoingMessage, SendResult } from '../whatsapp-message.dto';
import type { WhatsAppSessionStore } from '../whatsapp-session.store';
import { WhatsAppDriver } from '../whatsapp.driver';
import { chromiumArgs } from './chromium-launch.options';
import { ChromiumSandboxPolicy, PROCESS_CHROMIUM_SANDBOX } from './chromium-sandbox.policy';
import { connectionMarker, killMarkedProcesses, killMarkedProcessesSync } from './chromium-process.util';
import { GuardedClient, UnhandledRejectionGuard } from './unhandled-rejection.guard';
import { DEFAULT_REMOTE_BACKUP, RemoteBackupOptions, WebJsAuthStrategy } from './webjs-auth.strategy';
import {
  ClassifiedFailure,
  classifyDisconnect,
  classifyFailure,
  errorMessage,
} from './webjs-failure.classifier';
import { bridgeMessageEvents } from './webjs-message.events';
import { toWebJsSend } from './webjs-outgoing.mapper';
import { WebJsPageObserver } from './webjs-page.observer';

export interface WebJsDriverOptions {
  connectionId: string;
  logger: Logger;
  /** Debian's /usr/bin/chromium by default. */
  chromiumPath: string;
  /** Parent folder of the Chromium profiles (one per connection). */
  dataDir: string;
  /** Keep the session in this store (RemoteAuth) instead of only on local disk (LocalAuth). */
  sessionStore?: WhatsAppSessionStore;
  remoteBackup?: RemoteBackupOptions;
  headless?: boolean;
  /** From `starting` or `authenticated` to `ready` (a QR waiting for its scan does not count). */
  readyTimeoutMs?: number;
  /** whatsapp-web.js: how long to wait for WhatsApp Web's scripts (then 'auth timeout'). */
  authTimeoutMs?: number;
  /** Puppeteer: longest single DevTools call. */
  protocolTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Health probe period while ready (0 = off). Two failed probes in a row restart the client. */
  healthCheckIntervalMs?: number;
  /** Serve WhatsApp Web from a local cache (tests: the fake page). */
  webVersion?: string;
  webVersionCache?: WebCacheOptions;
  /** Apply the memory-saving Chromium flags (default true). */
  leanChromium?: boolean;
  maxOldSpaceMb?: number;
  extraChromiumArgs?: readonly string[];
  /** Whether Chromium may keep its sandbox (default: the process-wide policy, root = no). */
  sandboxPolicy?: ChromiumSandboxPolicy;
  /** Linked-device name shown on the phone. */
  deviceName?: string;
  browserName?: string;
  pageObserver?: WebJsPageObserver;
  guard?: UnhandledRejectionGuard;
  now?: () => number;
}

const DEFAULTS = {
  readyTimeoutMs: 120_000,
  authTimeoutMs: 60_000,
  protocolTimeoutMs: 60_000,
  healthCheckIntervalMs: 60_000,
  destroyTimeoutMs: 10_000,
  probeTimeoutMs: 10_000,
};

type FaultStatus = 'failed' | 'disconnected';

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(errorMessage(e)));
      },
    );
  });
}

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

  private readonly opts: WebJsDriverOptions & typeof DEFAULTS;
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
  private readyTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private healthTimer?: NodeJS.Timeout;
  private lock: Promise<void> = Promise.resolve();

  constructor(options: WebJsDriverOptions) {
    const logger = options.logger.child({ connectionId: options.connectionId, driver: 'webjs' });
    super(logger, options.now);
    this.opts = { ...DEFAULTS, ...options, logger };
    this.now = options.now ?? Date.now;
    this.connectionId = options.connectionId;
    this.clientId = options.connectionId.replace(/[^\w-]/g, '_');
    this.marker = connectionMarker(options.connectionId);
    this.dataDir = resolve(options.dataDir);
    this.guard = options.guard ?? UnhandledRejectionGuard.forProcess(options.logger);
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
      await this.removeProfileLocks(this.auth.profileDir);
      client = this.createClient(gen, this.auth);
    } catch (err) {
      this.onFault(gen, classifyFailure(err), 'failed');
      return;
    }
    this.client = client;
    this.armReadyTimer(gen);
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
    const o = this.opts;
    const client = new Client({
      authStrategy: auth.strategy,
      authTimeoutMs: o.authTimeoutMs,
      qrMaxRetries: 0,
      ...(o.webVersion ? { webVersion: o.webVersion } : {}),
      // The library's default cache folder is ./.wwebjs_cache in the working directory.
      webVersionCache: o.webVersionCache ?? { type: 'local', path: join(this.dataDir, 'web-cache') },
      ...(o.deviceName ? { deviceName: o.deviceName } : {}),
      ...(o.browserName ? { browserName: o.browserName } : {}),
      puppeteer: {
        executablePath: o.chromiumPath,
        headless: o.headless ?? true,
        pipe: true,
        protocolTimeout: o.protocolTimeoutMs,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        args: chromiumArgs({
          connectionId: this.connectionId,
          sandbox: (o.sandboxPolicy ?? PROCESS_CHROMIUM_SANDBOX).decideAndReport(
            o.logger,
            o.extraChromiumArgs,
          ).sandbox,
          lean: o.leanChromium,
          maxOldSpaceMb: o.maxOldSpaceMb,
          extraArgs: o.extraChromiumArgs,
        }),
      },
    });
    this.wireClient(gen, client);
    return client;
  }

  private onBrowser(gen: number, client: Client): void {
    if (gen !== this.generation) return;
    const browser = client.pupBrowser;
    const page = client.pupPage;
    if (!browser || !page) return;
    const proc = browser.process();
    this.browserPid = proc?.pid;
    this.logger.debug({ pid: this.browserPid }, 'browser started');
    // With `pipe: true` puppeteer removes its own 'error' listeners from the browser's pipes when
    // it closes the transport; a read error arriving after that (ECONNRESET as Chromium dies)
    // would be an uncaught exception that takes the whole process down. Keep one listener for
    // the life of the pipes.
    for (const stream of proc?.stdio ?? []) {
      stream?.on('error', (err: Error) =>
        this.logger.debug({ err: err.message }, 'browser pipe error after the browser went away'),
      );
    }
    browser.on('disconnected', () =>
      this.onFault(
        gen,
        { kind: 'browser_crashed', reason: 'browser disconnected (crashed or killed)' },
        'disconnected',
      ),
    );
    page.on('close', () =>
      this.onFault(gen, { kind: 'browser_crashed', reason: 'page closed' }, 'disconnected'),
    );
    page.on('error', (err: Error) =>
      this.onFault(gen, { kind: 'browser_crashed', reason: `page crashed: ${err.message}` }, 'disconnected'),
    );
    try {
      this.opts.pageObserver?.pageOpened(this.connectionId, page, browser);
    } catch (err) {
      this.logger.warn({ err }, 'page observer failed');
    }
  }

  private onInitialized(gen: number, client: Client): void {
    if (gen !== this.generation) return;
    // After initialize, whatsapp-web.js re-injects on every navigation without a catch: route
    // those errors to this client instead of the process.
    const internals = client as unknown as { inject?: () => Promise<void> };
    const inject = internals.inject?.bind(client);
    if (inject) {
      internals.inject = async () => {
        try {
          await inject();
        } catch (err) {
          this.onFault(gen, classifyFailure(err), 'disconnected');
        }
      };
    }
    this.logger.debug('whatsapp-web.js initialized');
  }

  private wireClient(gen: number, client: Client): void {
    const live = (): boolean => gen === this.generation && this.running;
    const me = (): string | undefined => this.currentAccount?.chatId;

    client.on('qr', (qr: string) => {
      if (!live()) return;
      this.clearReadyTimer();
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
      this.armReadyTimer(gen);
    });
    client.on('auth_failure', (message: string) => {
      if (live()) this.terminal(gen, 'failed', `authentication failed: ${message}`, false);
    });
    client.on('ready', () => {
      if (!live()) return;
      this.clearReadyTimer();
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
      this.armHealthCheck(gen, client);
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

  private async deleteSessionData(): Promise<void> {
    try {
      await (this.auth ?? this.newAuth(this.generation)).deleteSession();
    } catch (err) {
      this.logger.error({ err }, 'could not delete the session data');
    }
  }

  /** Chromium refuses a profile whose Singleton lock names a live process elsewhere. */
  private async removeProfileLocks(profileDir: string): Promise<void> {
    await Promise.all(
      ['SingletonLock', 'SingletonSocket', 'SingletonCookie'].map((f) =>
        rm(join(profileDir, f), { force: true }),
      ),
    );
  }

  // ---------------------------------------------------------------- timers and health

  private armReadyTimer(gen: number): void {
    this.clearReadyTimer();
    const ms = this.opts.readyTimeoutMs;
    this.readyTimer = setTimeout(
      () =>
        this.onFault(
          gen,
          { kind: 'ready_timeout', reason: `WhatsApp Web not ready within ${ms} ms` },
          'failed',
        ),
      ms,
    );
  }

  private clearReadyTimer(): void {
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.readyTimer = undefined;
  }

  private armHealthCheck(gen: number, client: Client): void {
    const every = this.opts.healthCheckIntervalMs;
    if (!every) return;
    let misses = 0;
    const tick = async (): Promise<void> => {
      if (gen !== this.generation) return;
      const healthy = await this.probe(client);
      if (gen !== this.generation) return;
      misses = healthy ? 0 : misses + 1;
      if (misses >= 2) {
        this.onFault(
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

  private clearTimers(): void {
    this.clearReadyTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.healthTimer) clearTimeout(this.healthTimer);
    this.retryTimer = undefined;
    this.healthTimer = undefined;
    this.auth?.cancelBackups();
  }

  /** Browser connected, page open and WhatsApp Web answering in the state we believe it is in. */
  private async probe(client: Client): Promise<boolean> {
    const browser = client.pupBrowser;
    const page = client.pupPage;
    if (!browser?.connected || !page || page.isClosed()) return false;
    const status = this.state.status;
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
        this.opts.probeTimeoutMs,
        'health probe',
      );
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------- GuardedClient

  async onStrayError(error: unknown): Promise<boolean> {
    const client = this.client;
    const gen = this.generation;
    if (!this.running || !client) return false;
    if (await this.probe(client)) return false;
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
    validateOutgoingMessage(content);
    const target = toChatId(chatId);
    const client = this.readyClient();
    if (content.type === 'reaction') {
      try {
        await client.sendReaction(content.messageId, content.emoji);
      } catch (err) {
        throw new WhatsAppDriverError('send_failed', `reaction failed: ${errorMessage(err)}`, { cause: err });
      }
      return { messageId: content.messageId, timestamp: this.now() };
    }
    const { content: body, options } = toWebJsSend(content);
    let sent: Message | undefined | null;
    try {
      sent = await client.sendMessage(target, body, options);
    } catch (err) {
      throw new WhatsAppDriverError('send_failed', `send failed: ${errorMessage(err)}`, { cause: err });
    }
    if (!sent) throw new WhatsAppDriverError('chat_not_found', `chat ${target} could not be resolved`);
    return {
      messageId: sent.id._serialized,
      timestamp: sent.timestamp ? sent.timestamp * 1000 : this.now(),
    };
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    const digits = normalizePhoneNumber(phoneNumber);
    const client = this.client;
    if (!client || this.state.status !== 'qr') {
      throw new WhatsAppDriverError('not_ready', `pairing needs status qr (now ${this.state.status})`);
    }
    return client.requestPairingCode(digits, true);
  }

  async checkNumber(phoneNumber: string): Promise<NumberCheckResult> {
    const digits = normalizePhoneNumber(phoneNumber);
    const client = this.readyClient();
    const wid = await client.getNumberId(digits);
    return { registered: !!wid, chatId: wid?._serialized ?? null };
  }

  private readyClient(): Client {
    const client = this.client;
    if (!client || this.state.status !== 'ready') {
      throw new WhatsAppDriverError(
        'not_ready',
        `connection ${this.connectionId} is ${this.state.status}, not ready`,
      );
    }
    return client;
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
