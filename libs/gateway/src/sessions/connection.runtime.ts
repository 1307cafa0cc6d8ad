import type { Logger } from 'pino';
import type { ConnectionStateRecord } from '@wwb/connections';
import type { ConnectionStatus } from '@wwb/contracts';
import type {
  DriverState,
  WhatsAppDriver,
  WhatsAppDriverEventName,
  WhatsAppDriverEvents,
  WhatsAppMessage,
} from '@wwb/whatsapp';
import {
  authenticatedEvent,
  BridgedEvent,
  callEvent,
  contactChangedEvent,
  disconnectedEvent,
  groupEvent,
  messageEditedEvent,
  messageReactionEvent,
  messageReceivedEvent,
  messageRevokedEvent,
  messageSentEvent,
  messageStatusEvent,
  pairingCodeEvent,
  qrEvent,
  readyEvent,
  statusEvent,
} from '../events/driver-event.mapper';
import type { OutgoingTag } from '../events/outgoing-tag.store';
import { StateWriter } from '../events/state.writer';

export interface ConnectionRuntimeDeps {
  driver: WhatsAppDriver;
  /** The state document this gateway claimed (its epoch). */
  claimed: ConnectionStateRecord;
  /** Status of the previous epoch (what the connection was before this gateway took it). */
  previousStatus: ConnectionStatus | null;
  saveState(record: ConnectionStateRecord): Promise<boolean>;
  /** Queues an event of this connection for Kafka (in order). */
  publish(event: BridgedEvent): void;
  /** Our id and origin of a message this connection created, when it is one of our sends. */
  tagOf?(message: WhatsAppMessage): OutgoingTag | undefined;
  now(): Date;
  logger: Logger;
}

type Bridges = { [K in WhatsAppDriverEventName]: (payload: WhatsAppDriverEvents[K]) => void };

/**
 * One connection running on this gateway: its driver, bridged to Kafka (every driver event
 * becomes an event, in the driver's order) and to its state document (status, QR code, phone
 * number, push name, last error), which this runtime alone writes.
 */
export class ConnectionRuntime {
  readonly connectionId: string;
  readonly accountId: string;
  readonly epoch: number;
  readonly startedAt: Date;
  readonly driver: WhatsAppDriver;
  private readonly writer: StateWriter<ConnectionStateRecord>;
  private readonly offs: (() => void)[] = [];
  private lastStatus: ConnectionStatus | null;
  /** Reason reported for the `stopped` status this runtime causes (hand-off, shutdown). */
  private stopReason?: string;
  private loggedOut = false;

  constructor(private readonly deps: ConnectionRuntimeDeps) {
    const { claimed, driver } = deps;
    this.connectionId = claimed.connectionId;
    this.accountId = claimed.accountId;
    this.epoch = claimed.epoch;
    this.startedAt = claimed.startedAt;
    this.driver = driver;
    this.lastStatus = deps.previousStatus;
    this.writer = new StateWriter(claimed, {
      save: (record) => deps.saveState(record),
      onError: (err) => deps.logger.error({ err }, 'could not store the connection state; retrying'),
    });
    this.attach();
  }

  get status(): ConnectionStatus {
    return this.driver.state.status;
  }

  get state(): ConnectionStateRecord {
    return this.writer.value;
  }

  /** Starts the driver (restoring the stored session when there is one). */
  start(): Promise<void> {
    return this.driver.start();
  }

  /** Stops the driver, keeps the session, marks the state released; the runtime is done. */
  async stop(reason: string): Promise<void> {
    this.stopReason = reason;
    try {
      await this.driver.stop();
    } finally {
      this.writer.update((s) => ({ ...s, releasedAt: this.deps.now(), updatedAt: this.deps.now() }));
      await this.close();
    }
  }

  /** Unlinks the device and deletes the session (terminal: logged_out); the runtime is done. */
  async logout(): Promise<void> {
    try {
      await this.driver.logout();
    } finally {
      if (!this.loggedOut) {
        // The driver was not running (no transition to report): report the outcome ourselves.
        this.onStatus({ status: 'logged_out', reason: 'logged out', since: Date.now(), failures: 0 });
      }
      this.writer.update((s) => ({ ...s, releasedAt: this.deps.now(), updatedAt: this.deps.now() }));
      await this.close();
    }
  }

  /** Reports a status the driver could not (it failed to start at all). */
  fail(reason: string): void {
    this.onStatus({ status: 'failed', reason, since: Date.now(), failures: 1 });
  }

  /** Detaches from the driver and stores the last state. */
  async close(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    await this.writer.close();
  }

  private attach(): void {
    const bridges: Bridges = {
      status: (state) => this.onStatus(state),
      qr: ({ qr }) => {
        const at = this.deps.now();
        this.writer.update((s) => ({ ...s, qr, qrAt: at, updatedAt: at }));
        this.deps.publish(qrEvent(qr));
      },
      pairing_code: ({ code }) => this.deps.publish(pairingCodeEvent(code)),
      authenticated: () => this.deps.publish(authenticatedEvent()),
      ready: (account) => {
        const at = this.deps.now();
        this.writer.update((s) => ({
          ...s,
          phoneNumber: account.phoneNumber,
          pushName: account.pushName,
          updatedAt: at,
        }));
        this.deps.publish(readyEvent(account));
      },
      disconnected: ({ reason }) => this.deps.publish(disconnectedEvent(reason)),
      'message.received': (m) => this.deps.publish(messageReceivedEvent(m)),
      'message.created': (m) =>
        this.deps.publish(messageSentEvent(m, m.fromMe ? this.deps.tagOf?.(m) : undefined)),
      'message.ack': (e) => this.deps.publish(messageStatusEvent(e)),
      'message.revoked': (e) => this.deps.publish(messageRevokedEvent(e)),
      'message.edited': (e) => this.deps.publish(messageEditedEvent(e)),
      'message.reaction': (e) => this.deps.publish(messageReactionEvent(e)),
      'group.join': (e) => this.deps.publish(groupEvent('group.join', e)),
      'group.leave': (e) => this.deps.publish(groupEvent('group.leave', e)),
      'group.update': (e) => this.deps.publish(groupEvent('group.update', e)),
      call: (e) => this.deps.publish(callEvent(e)),
      'contact.changed': (e) => this.deps.publish(contactChangedEvent(e)),
    };
    for (const name of Object.keys(bridges) as WhatsAppDriverEventName[]) this.listen(name, bridges);
  }

  private listen<K extends WhatsAppDriverEventName>(name: K, bridges: Bridges): void {
    const bridge: Bridges[K] = bridges[name];
    this.offs.push(this.driver.on(name, bridge));
  }

  private onStatus(state: DriverState): void {
    const previous = this.lastStatus;
    this.lastStatus = state.status;
    if (state.status === 'logged_out') this.loggedOut = true;
    const reason = state.status === 'stopped' && this.stopReason ? this.stopReason : state.reason;
    const at = this.deps.now();
    const account = this.driver.account;
    this.writer.update((s) => {
      const next: ConnectionStateRecord = {
        ...s,
        status: state.status,
        statusAt: new Date(state.since),
        failures: state.failures,
        updatedAt: at,
      };
      if (reason) next.statusReason = reason;
      else delete next.statusReason;
      if (state.retryAt !== undefined) next.retryAt = new Date(state.retryAt);
      else delete next.retryAt;
      if (state.status !== 'qr') {
        delete next.qr;
        delete next.qrAt;
      }
      if (state.status === 'ready') {
        next.readyAt = new Date(state.since);
        if (account) {
          next.phoneNumber = account.phoneNumber;
          next.pushName = account.pushName;
        }
      }
      if ((state.status === 'failed' || state.status === 'disconnected') && reason) {
        next.lastError = reason;
        next.lastErrorAt = new Date(state.since);
      }
      if (state.status === 'logged_out') {
        delete next.phoneNumber;
        delete next.pushName;
      }
      return next;
    });
    this.deps.publish(statusEvent(state, previous, account, reason));
  }
}
