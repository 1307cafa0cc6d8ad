import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { DisabledAccountsStore } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import {
  ConnectionRepository,
  ConnectionStateRecord,
  ConnectionStateRepository,
  PlacementRecord,
} from '@wwb/connections';
import { commandPartition, EventFactory, EventPublisher } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { AccountScope } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import {
  ConfiguredWhatsAppDriverFactory,
  WhatsAppDriver,
  WhatsAppDriverFactory,
  WhatsAppDriverKind,
} from '@wwb/whatsapp';
import { ConnectionRuntime } from './connection.runtime';
import type { BridgedEvent } from '../events/driver-event.mapper';
import { EventOutbox, nodeOutbox } from '../events/event.outbox';
import type { GatewaySession } from '../node/gateway-command.registry';
import { OutgoingTagStore } from '../events/outgoing-tag.store';
import { GatewayNodeIdentity } from '../node/gateway-node.identity';
import { KeyedMutex } from '../keyed.mutex';
import { mapLimit } from '../map-limit';
import { ConnectionHandOff } from './connection-handoff.service';
import { OfflineDriver } from './offline.driver';

/** Connections started at once during a reconciliation (Chromium launches are heavy). */
const START_CONCURRENCY = 4;

/** What a connection is, for the supervisor. */
export interface ConnectionRef {
  id: string;
  accountId: string;
  driver: WhatsAppDriverKind;
}

const refOf = (p: PlacementRecord): ConnectionRef => ({
  id: p._id,
  accountId: p.accountId,
  driver: p.driver,
});

/**
 * Runs the connections this gateway owns: exactly the running connections whose commands
 * partition is assigned to it. Every operation on one connection runs under that connection's
 * lock (commands, reconciliations and shutdown never interleave on one connection).
 *
 * Taking a connection (start, restart, after a rebalance) claims a new state epoch, waits until
 * a live previous owner has stopped it and saved its session (never for a dead one), then
 * starts a driver that restores the stored session: no new QR code. Losing it (partition
 * revoked, shutdown) stops the driver, keeps the session, and marks the epoch released.
 */
@Injectable()
export class ConnectionSupervisor {
  private readonly logger: Logger;
  private readonly runtimes = new Map<string, ConnectionRuntime>();
  /** Connections this node cannot run (driver not enabled here): not retried until asked to. */
  private readonly unstartable = new Map<string, string>();
  private readonly locks = new KeyedMutex();
  private readonly outbox: EventOutbox;
  private owned = new Set<number>();
  private closing = false;
  private reconciling?: Promise<void>;
  private reconcileAgain = false;

  constructor(
    private readonly config: AppConfig,
    private readonly connections: ConnectionRepository,
    private readonly states: ConnectionStateRepository,
    private readonly factory: WhatsAppDriverFactory,
    private readonly events: EventFactory,
    publisher: EventPublisher,
    node: GatewayNodeIdentity,
    private readonly clock: Clock,
    private readonly tags: OutgoingTagStore,
    private readonly handOff: ConnectionHandOff,
    signals: EventEmitter2,
    private readonly accounts: DisabledAccountsStore,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'ConnectionSupervisor', nodeId: node.id });
    this.outbox = nodeOutbox(publisher, signals, this.logger);
  }

  /** Partitions owned now. */
  get partitions(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  /** Ids of the connections running here. */
  get running(): string[] {
    return [...this.runtimes.keys()];
  }

  runtime(connectionId: string): ConnectionRuntime | undefined {
    return this.runtimes.get(connectionId);
  }

  partitionOf(connectionId: string): number {
    return commandPartition(connectionId, this.config.kafka.topics.commands.partitions);
  }

  owns(connectionId: string): boolean {
    return this.owned.has(this.partitionOf(connectionId));
  }

  /** The group (re)assigned partitions to this node: run exactly their connections. */
  assign(partitions: readonly number[]): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.owned = new Set(partitions);
    this.logger.info({ partitions: this.partitions }, 'commands partitions assigned');
    return this.reconcile();
  }

  /**
   * Makes the connections running here match the owned partitions and the desired states in
   * Mongo (after every assignment, and periodically: heals a lost command). Runs one at a time;
   * a call during a run schedules one more run.
   */
  reconcile(): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      try {
        do {
          this.reconcileAgain = false;
          await this.reconcileOnce();
        } while (this.reconcileAgain && !this.closing);
      } catch (err) {
        this.logger.error({ err }, 'reconciliation failed; the next one retries');
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    if (this.closing) return;
    const lost = this.running.filter((id) => !this.owns(id));
    await Promise.all(lost.map((id) => this.stop(id, 'moved to another gateway')));
    if (this.owned.size === 0) return;
    const mine = (await this.connections.running()).filter(
      (c) => this.owns(c._id) && !this.accounts.isDisabled(c.accountId),
    );
    const wanted = new Set(mine.map((c) => c._id));
    const unwanted = this.running.filter((id) => this.owns(id) && !wanted.has(id));
    await Promise.all(unwanted.map((id) => this.stop(id, 'stopped')));
    const toStart = mine.filter((c) => !this.runtimes.has(c._id) && !this.unstartable.has(c._id));
    if (toStart.length) this.logger.info({ connections: toStart.length }, 'starting connections');
    await mapLimit(toStart, START_CONCURRENCY, (c) =>
      this.ensureRunning(refOf(c)).catch((err: unknown) =>
        this.logger.error({ err, connectionId: c._id }, 'could not start the connection'),
      ),
    );
    // Deleted connections whose delete command was lost: clean them up (older than a minute,
    // so that the command, normally right behind the tombstone, does it).
    const due = this.clock.nowMs() - 60_000;
    const tombstones = (await this.connections.deleted()).filter(
      (c) => this.owns(c._id) && c.desiredAt.getTime() < due,
    );
    for (const c of tombstones) {
      await this.delete(refOf(c)).catch((err: unknown) =>
        this.logger.error({ err, connectionId: c._id }, 'could not clean up a deleted connection'),
      );
    }
  }

  /** Starts the connection here unless it runs already (or this node does not own it). */
  ensureRunning(ref: ConnectionRef): Promise<ConnectionRuntime | undefined> {
    return this.locks.run(ref.id, () => this.startLocked(ref));
  }

  /** A start command: like ensureRunning, and retries a connection that could not start before. */
  start(ref: ConnectionRef): Promise<ConnectionRuntime | undefined> {
    this.unstartable.delete(ref.id);
    return this.ensureRunning(ref);
  }

  /** Stops the connection here (keeps its session). */
  stop(connectionId: string, reason: string): Promise<void> {
    return this.locks.run(connectionId, () => this.stopLocked(connectionId, reason));
  }

  /** Stops and starts again, unless the running session started after the command was issued. */
  restart(ref: ConnectionRef, issuedAt: Date): Promise<'restarted' | 'stale'> {
    return this.locks.run(ref.id, async () => {
      const current = this.runtimes.get(ref.id);
      if (current && current.startedAt >= issuedAt) return 'stale';
      this.unstartable.delete(ref.id);
      await this.stopLocked(ref.id, 'restarting');
      await this.startLocked(ref);
      return 'restarted';
    });
  }

  /**
   * Unlinks the device and deletes the session (the connection stays, logged_out), unless the
   * running session started after the command was issued (the account restarted it since).
   */
  logout(ref: ConnectionRef, issuedAt: Date): Promise<'logged_out' | 'stale'> {
    return this.locks.run(ref.id, async () => {
      const current = this.runtimes.get(ref.id);
      if (current && current.startedAt > issuedAt) return 'stale';
      await this.logoutLocked(ref);
      return 'logged_out';
    });
  }

  /** Stops, logs out, deletes the session data and every trace of the connection. */
  delete(ref: ConnectionRef): Promise<void> {
    return this.locks.run(ref.id, async () => {
      await this.logoutLocked(ref);
      const scope = { accountId: ref.accountId };
      this.unstartable.delete(ref.id);
      await this.states.removeAll(scope, ref.id);
      await this.connections.remove(scope, ref.id);
      this.logger.info({ connectionId: ref.id }, 'connection deleted');
    });
  }

  /** The session a command handler gets (see GatewaySession). */
  async session(connectionId: string, accountId: string): Promise<GatewaySession> {
    let runtime = this.runtimes.get(connectionId);
    let reason = 'it does not run on this gateway';
    if (!runtime) {
      const placement = await this.connections.placement(connectionId);
      if (placement?.desiredState === 'running' && !this.closing) {
        runtime = await this.ensureRunning(refOf(placement));
        reason = this.unstartable.get(connectionId) ?? reason;
      } else {
        reason = placement ? `it is ${placement.desiredState}` : 'it does not exist';
      }
      if (!runtime) {
        const driver = new OfflineDriver(
          connectionId,
          placement?.driver ?? this.factory.defaultKind,
          reason,
          this.logger,
        );
        return { connectionId, accountId, driver };
      }
    }
    return { connectionId, accountId: runtime.accountId, driver: runtime.driver };
  }

  /** Shutdown: stops every connection (sessions kept, epochs released) and flushes events. */
  async stopAll(reason: string): Promise<void> {
    this.closing = true;
    await this.reconciling;
    await Promise.all(this.running.map((id) => this.stop(id, reason)));
    await this.outbox.flush();
  }

  /** Waits until the queued events are on Kafka. */
  flushEvents(): Promise<void> {
    return this.outbox.flush();
  }

  // ---------------------------------------------------------------- under the connection's lock

  private async startLocked(ref: ConnectionRef): Promise<ConnectionRuntime | undefined> {
    const existing = this.runtimes.get(ref.id);
    if (existing || this.closing || !this.owns(ref.id) || this.accounts.isDisabled(ref.accountId))
      return existing;
    const scope: AccountScope = { accountId: ref.accountId };
    const { record, previous } = await this.handOff.claim(ref, 'starting');
    await this.handOff.awaitRelease(scope, previous, () => this.closing);
    if (this.closing || !this.owns(ref.id)) {
      // Shut down or moved away while waiting: leave the claimed epoch released, not `starting`.
      const now = this.clock.now();
      await this.states.save({
        ...record,
        status: 'stopped',
        statusReason: this.closing ? 'gateway shutting down' : 'moved to another gateway',
        statusAt: now,
        releasedAt: now,
        updatedAt: now,
      });
      return undefined;
    }
    let driver: WhatsAppDriver;
    try {
      driver = this.factory.create(ref.id, {
        kind: ref.driver,
        logBindings: { connectionId: ref.id, accountId: ref.accountId, epoch: record.epoch },
      });
    } catch (err) {
      const reason = `cannot run on this gateway: ${(err as Error).message}`;
      this.unstartable.set(ref.id, reason);
      const runtime = this.newRuntime(
        new OfflineDriver(ref.id, ref.driver, reason, this.logger),
        record,
        previous,
      );
      runtime.fail(reason);
      await runtime.close();
      this.logger.error({ connectionId: ref.id, reason }, 'connection cannot start here');
      return undefined;
    }
    const runtime = this.newRuntime(driver, record, previous);
    this.runtimes.set(ref.id, runtime);
    await this.states.removeBefore(scope, ref.id, record.epoch);
    try {
      await runtime.start();
    } catch (err) {
      this.logger.error({ err, connectionId: ref.id }, 'driver start failed');
    }
    this.logger.info(
      {
        connectionId: ref.id,
        epoch: record.epoch,
        from: previous?.nodeId,
        restored: previous?.phoneNumber !== undefined,
      },
      'connection started',
    );
    if (!this.owns(ref.id)) {
      // The partition was revoked while it started (the reconciliation did not see it yet).
      await this.stopLocked(ref.id, 'moved to another gateway');
      return undefined;
    }
    return runtime;
  }

  private async stopLocked(connectionId: string, reason: string): Promise<void> {
    const runtime = this.runtimes.get(connectionId);
    if (!runtime) return;
    this.runtimes.delete(connectionId);
    try {
      await runtime.stop(reason);
    } finally {
      this.release(runtime.driver);
    }
  }

  private async logoutLocked(ref: ConnectionRef): Promise<void> {
    let runtime = this.runtimes.get(ref.id);
    this.runtimes.delete(ref.id);
    if (!runtime) {
      // Not running here: a driver that is never started, to delete the stored session.
      const { record, previous } = await this.handOff.claim(ref, 'stopped');
      let driver: WhatsAppDriver;
      try {
        driver = this.factory.create(ref.id, { kind: ref.driver, logBindings: { connectionId: ref.id } });
      } catch (err) {
        this.logger.error(
          { err, connectionId: ref.id },
          'cannot delete the session: driver not available here',
        );
        driver = new OfflineDriver(ref.id, ref.driver, 'driver not available', this.logger);
      }
      runtime = this.newRuntime(driver, record, previous);
    }
    try {
      await runtime.logout();
    } finally {
      this.release(runtime.driver);
    }
  }

  private newRuntime(
    driver: WhatsAppDriver,
    record: ConnectionStateRecord,
    previous: ConnectionStateRecord | null,
  ): ConnectionRuntime {
    const base = { accountId: record.accountId, connectionId: record.connectionId };
    return new ConnectionRuntime({
      driver,
      claimed: record,
      previousStatus: previous?.status ?? null,
      saveState: (r) => this.states.save(r),
      publish: (e: BridgedEvent) =>
        this.outbox.push(
          this.events.create({
            ...base,
            type: e.type,
            data: e.data,
            ...(e.chatId ? { chatId: e.chatId } : {}),
          }),
        ),
      tagOf: (m) => this.tags.take(record.connectionId, m),
      now: () => this.clock.now(),
      logger: this.logger.child({ connectionId: record.connectionId, epoch: record.epoch }),
    });
  }

  private release(driver: WhatsAppDriver): void {
    if (this.factory instanceof ConfiguredWhatsAppDriverFactory) this.factory.release(driver);
  }
}
