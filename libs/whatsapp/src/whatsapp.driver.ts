import type { Logger } from 'pino';
import { CONNECTION_DRIVERS, ConnectionDriver } from '@wwb/contracts';
import {
  ConnectionStateMachine,
  DriverState,
  DriverStatus,
  InvalidTransitionError,
} from './core/connection-state.machine';
import { Listener, TypedEmitter } from './core/typed.emitter';
import type {
  CallEvent,
  ContactChangedEvent,
  GroupEvent,
  MessageAckEvent,
  MessageEditedEvent,
  MessageReactionEvent,
  MessageRevokedEvent,
  NumberCheckResult,
  OutgoingMessage,
  SendResult,
  WhatsAppMessage,
} from './whatsapp-message.dto';
import type { WhatsAppSessionStore } from './whatsapp-session.store';

export type WhatsAppDriverKind = ConnectionDriver;
export const WHATSAPP_DRIVER_KINDS: readonly WhatsAppDriverKind[] = CONNECTION_DRIVERS;

/** The linked account, known once `ready`. */
export interface WhatsAppAccount {
  /** Digits only, no plus sign. */
  phoneNumber: string;
  pushName: string;
  /** `<digits>@c.us`. */
  chatId: string;
}

/** Every event a driver emits; one payload object each. */
export interface WhatsAppDriverEvents {
  /** Every status change (also a new failure reason while failed). */
  status: DriverState;
  /** A QR code to show (refreshed while waiting for the scan). */
  qr: { qr: string };
  pairing_code: { code: string };
  authenticated: Record<string, never>;
  ready: WhatsAppAccount;
  /** A message from someone else. */
  'message.received': WhatsAppMessage;
  /** A message from this account: sent through the driver or from the phone. */
  'message.created': WhatsAppMessage;
  'message.ack': MessageAckEvent;
  'message.revoked': MessageRevokedEvent;
  'message.edited': MessageEditedEvent;
  'message.reaction': MessageReactionEvent;
  'group.join': GroupEvent;
  'group.leave': GroupEvent;
  'group.update': GroupEvent;
  call: CallEvent;
  'contact.changed': ContactChangedEvent;
  /** The session dropped (the status moves on to disconnected, logged_out or failed). */
  disconnected: { reason: string };
}

export type WhatsAppDriverEventName = keyof WhatsAppDriverEvents;

/**
 * The driver port: one WhatsApp session (one linked phone number), whatever runs it.
 * `start()` kicks off the lifecycle and resolves before the session is ready; follow `status`
 * events (or `waitForStatus`). Restarts after crashes happen inside the driver.
 */
export abstract class WhatsAppDriver {
  abstract readonly connectionId: string;
  abstract readonly kind: WhatsAppDriverKind;

  private readonly machine: ConnectionStateMachine;
  protected readonly events: TypedEmitter<WhatsAppDriverEvents>;
  protected currentQr?: string;
  protected currentAccount?: WhatsAppAccount;

  protected constructor(
    protected readonly logger: Logger,
    now: () => number = Date.now,
  ) {
    this.machine = new ConnectionStateMachine(now);
    this.events = new TypedEmitter<WhatsAppDriverEvents>((event, err) =>
      this.logger.error({ err, event }, 'WhatsApp driver event listener failed'),
    );
  }

  get state(): DriverState {
    return this.machine.state;
  }

  /** The QR code to scan while `status` is `qr`. */
  get qr(): string | undefined {
    return this.state.status === 'qr' ? this.currentQr : undefined;
  }

  /** The linked account once it has been ready at least once. */
  get account(): WhatsAppAccount | undefined {
    return this.currentAccount;
  }

  /** Starts the session (restoring it when a linked one is stored). Idempotent while running. */
  abstract start(): Promise<void>;
  /** Stops the session and keeps it linked. */
  abstract stop(): Promise<void>;
  /** Unlinks the device and deletes the stored session. Terminal: status `logged_out`. */
  abstract logout(): Promise<void>;
  /** Sends a message to a chat id (`<digits>@c.us`, `<id>@g.us`, ...). Requires `ready`. */
  abstract sendMessage(chatId: string, content: OutgoingMessage): Promise<SendResult>;
  /** Asks for an 8-character pairing code instead of a QR scan. Requires status `qr`. */
  abstract requestPairingCode(phoneNumber: string): Promise<string>;
  /** Whether a phone number has WhatsApp. Requires `ready`. */
  abstract checkNumber(phoneNumber: string): Promise<NumberCheckResult>;

  on<K extends WhatsAppDriverEventName>(event: K, listener: Listener<WhatsAppDriverEvents[K]>): () => void {
    return this.events.on(event, listener);
  }

  once<K extends WhatsAppDriverEventName>(event: K, listener: Listener<WhatsAppDriverEvents[K]>): () => void {
    return this.events.once(event, listener);
  }

  off<K extends WhatsAppDriverEventName>(event: K, listener: Listener<WhatsAppDriverEvents[K]>): void {
    this.events.off(event, listener);
  }

  /** Resolves with the state once the status is one of `statuses` (now or later). */
  waitForStatus(statuses: DriverStatus | readonly DriverStatus[], timeoutMs = 30_000): Promise<DriverState> {
    const wanted: readonly DriverStatus[] = typeof statuses === 'string' ? [statuses] : statuses;
    const now = this.state;
    if (wanted.includes(now.status)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(
          new Error(
            `${this.connectionId}: status ${wanted.join('|')} not reached in ${timeoutMs} ms (${this.state.status})`,
          ),
        );
      }, timeoutMs);
      const off = this.events.on('status', (state) => {
        if (!wanted.includes(state.status)) return;
        clearTimeout(timer);
        off();
        resolve(state);
      });
    });
  }

  /** Moves the state machine and emits `status`. Invalid transitions are logged and ignored. */
  protected setStatus(
    status: DriverStatus,
    details: { reason?: string; failures?: number; retryAt?: number } = {},
  ): boolean {
    let changed: boolean;
    try {
      changed = this.machine.transition(status, details);
    } catch (err) {
      if (err instanceof InvalidTransitionError) {
        this.logger.warn({ from: err.from, to: err.to }, 'ignored invalid status transition');
        return false;
      }
      throw err;
    }
    if (!changed) return false;
    const state = this.machine.state;
    this.logger.info(
      { status: state.status, reason: state.reason, failures: state.failures },
      'connection status',
    );
    this.events.emit('status', state);
    return true;
  }

  protected emit<K extends WhatsAppDriverEventName>(event: K, payload: WhatsAppDriverEvents[K]): void {
    this.events.emit(event, payload);
  }
}

export interface CreateDriverOptions {
  /** Which implementation; defaults to the configured one. */
  kind?: WhatsAppDriverKind;
  /** Where the session is kept; defaults to the factory's store (local disk or Mongo). */
  sessionStore?: WhatsAppSessionStore;
  /** Child logger bindings added to `{connectionId}`. */
  logBindings?: Record<string, unknown>;
}

/** Creates one driver per connection id. */
export abstract class WhatsAppDriverFactory {
  /** Kinds this factory may create (configuration decides). */
  abstract readonly kinds: readonly WhatsAppDriverKind[];
  abstract readonly defaultKind: WhatsAppDriverKind;
  abstract create(connectionId: string, options?: CreateDriverOptions): WhatsAppDriver;
}
