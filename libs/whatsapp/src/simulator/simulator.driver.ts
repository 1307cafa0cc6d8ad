import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { BackoffOptions, backoffDelay } from '../core/backoff.policy';
import { validateOutgoingMessage } from '../core/outgoing-message.validator';
import { normalizePhoneNumber, simulatedIsRegistered, toChatId } from '../core/phone-number.util';
import { WhatsAppDriverError } from '../whatsapp-driver.error';
import type {
  AckStatus,
  NumberCheckResult,
  OutgoingMessage,
  SendResult,
  WhatsAppMessage,
} from '../whatsapp-message.dto';
import type { WhatsAppSessionStore } from '../whatsapp-session.store';
import { WhatsAppAccount, WhatsAppDriver } from '../whatsapp.driver';
import {
  inboundToMessage,
  newKeyId,
  outgoingToMessage,
  phoneToMessage,
  SimulatorInboundMessage,
  SimulatorPhoneMessage,
} from './simulator-message.factory';
import { SimulatorSessionStore, StoredSession } from './simulator-session.store';

export interface SimulatorDriverOptions {
  connectionId: string;
  logger: Logger;
  /** Where the linked session is persisted (restore without QR). */
  sessionStore: WhatsAppSessionStore;
  /** Time from start() to the QR (or to ready when restoring). */
  startDelayMs?: number;
  /** QR codes are replaced this often while nobody scans. */
  qrRefreshMs?: number;
  /** Outgoing messages are acked `sent` after `sent` ms and `delivered` after `delivered` ms. */
  ackDelaysMs?: { sent: number; delivered: number };
  /** Restart after a simulated disconnect or unreachable WhatsApp. */
  backoff?: BackoffOptions;
  /** Default account a scan links. */
  phoneNumber?: string;
  pushName?: string;
  now?: () => number;
}

const DEFAULTS = {
  startDelayMs: 50,
  qrRefreshMs: 20_000,
  ackDelaysMs: { sent: 50, delivered: 150 },
  backoff: { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0 } as BackoffOptions,
};

const LOGGED_OUT_REASONS = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);
const MAX_REMEMBERED = 1_000;
const settled = (): void => undefined;

/**
 * An in-process WhatsApp stand-in with the same lifecycle and events as the real driver, for
 * demos and tests of everything above the driver. Control methods play the phone's part:
 * `scan()`, `inbound()`, `phoneMessage()`, `ack()`, `disconnect()` (plus `react`, `revoke`,
 * `edit`, `setReachable`). The linked account outlives restarts (SimulatorSessionStore).
 */
export class SimulatorDriver extends WhatsAppDriver {
  readonly kind = 'simulator' as const;
  readonly connectionId: string;

  private readonly opts: SimulatorDriverOptions & typeof DEFAULTS;
  private readonly session: SimulatorSessionStore;
  private readonly now: () => number;
  private running = false;
  private reachable = true;
  private generation = 0;
  private failures = 0;
  private timers = new Set<NodeJS.Timeout>();
  private qrTimer?: NodeJS.Timeout;
  private readonly messages = new Map<string, WhatsAppMessage>();
  private lock: Promise<void> = Promise.resolve();

  constructor(options: SimulatorDriverOptions) {
    const logger = options.logger.child({ connectionId: options.connectionId, driver: 'simulator' });
    super(logger, options.now);
    this.opts = { ...DEFAULTS, ...options, logger };
    this.now = options.now ?? Date.now;
    this.connectionId = options.connectionId;
    this.session = new SimulatorSessionStore(options.sessionStore, options.connectionId);
  }

  // ---------------------------------------------------------------- lifecycle

  start(): Promise<void> {
    return this.serial(async () => {
      if (this.running) return;
      this.running = true;
      this.failures = 0;
      this.launch();
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      this.running = false;
      this.invalidate();
      this.setStatus('stopped', { reason: 'stopped' });
    });
  }

  logout(): Promise<void> {
    return this.serial(async () => {
      this.running = false;
      this.invalidate();
      await this.session.delete();
      this.currentAccount = undefined;
      this.setStatus('logged_out', { reason: 'logged out' });
    });
  }

  private launch(): void {
    const gen = ++this.generation;
    this.setStatus('starting', { failures: this.failures });
    this.later(gen, this.opts.startDelayMs, async () => {
      if (!this.reachable) {
        this.fault(gen, 'failed', 'WhatsApp Web (simulated) is unreachable');
        return;
      }
      let stored: StoredSession | undefined;
      try {
        stored = await this.session.load();
      } catch (err) {
        this.fault(gen, 'failed', `session store unavailable: ${(err as Error).message}`);
        return;
      }
      if (gen !== this.generation) return;
      if (stored) {
        this.setStatus('authenticated');
        this.emit('authenticated', {});
        this.becomeReady(stored);
      } else {
        this.showQr(gen);
      }
    });
  }

  private showQr(gen: number): void {
    const refresh = (): void => {
      if (gen !== this.generation) return;
      this.currentQr = `2@${randomBytes(24).toString('base64')},${randomBytes(32).toString('base64')},${this.connectionId},simulator`;
      this.setStatus('qr');
      this.emit('qr', { qr: this.currentQr });
    };
    refresh();
    this.qrTimer = setInterval(refresh, this.opts.qrRefreshMs);
    this.qrTimer.unref();
  }

  private becomeReady(session: StoredSession): void {
    this.currentQr = undefined;
    this.currentAccount = {
      phoneNumber: session.phoneNumber,
      pushName: session.pushName,
      chatId: `${session.phoneNumber}@c.us`,
    };
    this.failures = 0;
    this.setStatus('ready', { failures: 0 });
    this.emit('ready', this.currentAccount);
  }

  /** Something dropped: restart with backoff (failed = never got going, disconnected = was up). */
  private fault(gen: number, status: 'failed' | 'disconnected', reason: string): void {
    if (gen !== this.generation || !this.running) return;
    const current = this.invalidate();
    this.failures += 1;
    const delay = backoffDelay(this.failures, this.opts.backoff);
    if (status === 'disconnected') this.emit('disconnected', { reason });
    this.setStatus(status, { reason, failures: this.failures, retryAt: this.now() + delay });
    this.later(current, delay, async () => {
      await this.serial(async () => {
        if (this.running && this.generation === current) this.launch();
      });
    });
  }

  private invalidate(): number {
    this.generation += 1;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.qrTimer) clearInterval(this.qrTimer);
    this.qrTimer = undefined;
    return this.generation;
  }

  /** Runs `fn` after `ms` unless the generation moved on; errors are logged. */
  private later(gen: number, ms: number, fn: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (gen !== this.generation) return;
      Promise.resolve()
        .then(fn)
        .catch((err: unknown) => this.logger.error({ err }, 'simulator step failed'));
    }, ms);
    this.timers.add(timer);
  }

  // ---------------------------------------------------------------- control (the phone's part)

  /** The phone scans the QR (or confirms the pairing code): authenticated, then ready. */
  async scan(account: { phoneNumber?: string; pushName?: string } = {}): Promise<WhatsAppAccount> {
    if (this.state.status !== 'qr') {
      throw new WhatsAppDriverError('not_ready', `nothing to scan: connection is ${this.state.status}`);
    }
    const gen = this.generation;
    const session = this.session.newSession(account, this.opts, this.now());
    if (this.qrTimer) clearInterval(this.qrTimer);
    this.qrTimer = undefined;
    this.setStatus('authenticated');
    this.emit('authenticated', {});
    await this.session.save(session);
    if (gen !== this.generation)
      throw new WhatsAppDriverError('not_ready', 'connection changed during the scan');
    this.becomeReady(session);
    return this.currentAccount!;
  }

  /** A message arrives from someone else. */
  inbound(input: SimulatorInboundMessage): WhatsAppMessage {
    const me = this.readyAccount().chatId;
    const msg = inboundToMessage(input, me, this.now());
    this.remember(msg);
    this.emit('message.received', msg);
    return msg;
  }

  /**
   * Someone types a message on the linked phone: WhatsApp Web reports it as ours (fromMe,
   * `message.created`) although no send call made it, so nothing above the driver knows it.
   */
  phoneMessage(input: SimulatorPhoneMessage): WhatsAppMessage {
    const me = this.readyAccount().chatId;
    const msg = phoneToMessage(input, me, this.now());
    this.remember(msg);
    this.emit('message.created', msg);
    this.scheduleAcks(msg);
    return msg;
  }

  /** The recipient's phone acknowledges one of our messages. */
  ack(messageId: string, status: AckStatus): void {
    this.readyAccount();
    const msg = this.messages.get(messageId);
    if (!msg || !msg.fromMe)
      throw new WhatsAppDriverError('message_not_found', `no outgoing message ${messageId}`);
    this.emit('message.ack', { messageId, chatId: msg.chatId, status, timestamp: this.now() });
  }

  /** Someone reacts to a message (empty emoji removes the reaction). */
  react(messageId: string, emoji: string, from: string): void {
    this.readyAccount();
    this.emit('message.reaction', {
      messageId,
      reactionId: `false_${toChatId(from)}_${newKeyId(false)}`,
      from: toChatId(from),
      reaction: emoji,
      timestamp: this.now(),
    });
  }

  /** The sender deletes a message for everyone. */
  revoke(messageId: string): void {
    this.readyAccount();
    const msg = this.messages.get(messageId);
    if (!msg) throw new WhatsAppDriverError('message_not_found', `no message ${messageId}`);
    this.emit('message.revoked', {
      messageId,
      chatId: msg.chatId,
      fromMe: msg.fromMe,
      ...(msg.author ? { author: msg.author } : {}),
      timestamp: this.now(),
      original: msg,
    });
  }

  /** The sender edits a message. */
  edit(messageId: string, body: string): void {
    this.readyAccount();
    const msg = this.messages.get(messageId);
    if (!msg) throw new WhatsAppDriverError('message_not_found', `no message ${messageId}`);
    this.remember({ ...msg, body });
    this.emit('message.edited', {
      messageId,
      chatId: msg.chatId,
      body,
      previousBody: msg.body,
      timestamp: this.now(),
    });
  }

  /**
   * The session drops. `LOGOUT`/`UNPAIRED` (unlinked from the phone) is terminal and deletes the
   * session; anything else (`CONFLICT`, `simulated crash`...) restarts and restores.
   */
  async disconnect(reason = 'simulated disconnect'): Promise<void> {
    const gen = this.generation;
    if (!this.running) throw new WhatsAppDriverError('not_ready', 'connection is not running');
    if (LOGGED_OUT_REASONS.has(reason)) {
      await this.serial(async () => {
        if (gen !== this.generation) return;
        this.running = false;
        this.invalidate();
        this.emit('disconnected', { reason });
        await this.session.delete();
        this.currentAccount = undefined;
        this.setStatus('logged_out', {
          reason: reason === 'LOGOUT' ? 'logged out from the phone' : `device unlinked (${reason})`,
        });
      });
      return;
    }
    this.fault(gen, 'disconnected', reason);
  }

  /** While unreachable, every start attempt fails (and is retried with backoff). */
  setReachable(reachable: boolean): void {
    this.reachable = reachable;
  }

  // ---------------------------------------------------------------- operations

  async sendMessage(chatId: string, content: OutgoingMessage): Promise<SendResult> {
    validateOutgoingMessage(content);
    const target = toChatId(chatId);
    const account = this.readyAccount();
    const gen = this.generation;
    const timestamp = this.now();
    if (content.type === 'reaction') {
      this.emit('message.reaction', {
        messageId: content.messageId,
        reactionId: `true_${target}_${newKeyId(true)}`,
        from: account.chatId,
        reaction: content.emoji,
        timestamp,
      });
      return { messageId: content.messageId, timestamp };
    }
    const msg = outgoingToMessage(target, account.chatId, content, timestamp);
    this.remember(msg);
    this.emit('message.created', msg);
    this.scheduleAcks(msg, gen);
    return { messageId: msg.id, timestamp };
  }

  /** The recipient's phone acks a message of ours `sent`, then `delivered`. */
  private scheduleAcks(msg: WhatsAppMessage, gen = this.generation): void {
    const { sent, delivered } = this.opts.ackDelaysMs;
    const ack = (status: AckStatus) => () =>
      this.emit('message.ack', { messageId: msg.id, chatId: msg.chatId, status, timestamp: this.now() });
    this.later(gen, sent, ack('sent'));
    this.later(gen, Math.max(sent, delivered), ack('delivered'));
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    const digits = normalizePhoneNumber(phoneNumber);
    if (this.state.status !== 'qr') {
      throw new WhatsAppDriverError('not_ready', `pairing needs status qr (now ${this.state.status})`);
    }
    const code = this.session.pairingCode(digits, this.now());
    this.emit('pairing_code', { code });
    return code;
  }

  async checkNumber(phoneNumber: string): Promise<NumberCheckResult> {
    const digits = normalizePhoneNumber(phoneNumber);
    this.readyAccount();
    const registered = simulatedIsRegistered(digits);
    return { registered, chatId: registered ? `${digits}@c.us` : null };
  }

  private readyAccount(): WhatsAppAccount {
    if (this.state.status !== 'ready' || !this.currentAccount) {
      throw new WhatsAppDriverError(
        'not_ready',
        `connection ${this.connectionId} is ${this.state.status}, not ready`,
      );
    }
    return this.currentAccount;
  }

  private remember(msg: WhatsAppMessage): void {
    this.messages.set(msg.id, msg);
    if (this.messages.size > MAX_REMEMBERED) {
      const oldest = this.messages.keys().next().value;
      if (oldest !== undefined) this.messages.delete(oldest);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.then(settled, settled);
    return run;
  }
}
