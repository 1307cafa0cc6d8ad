import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { GatewayReplyRepository } from '@wwb/connections';
import { EventEnvelope, GATEWAY_COMMANDS } from '@wwb/contracts';
import { ConsumerContext, ConsumerHandle, ConsumerRunner, PermanentError } from '@wwb/kafka';
import { Gauge } from 'prom-client';
import { AppLogger, MetricsRegistry } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { ConnectionCommandHandlers } from '../sessions/connection-command.handlers';
import { ConnectionSupervisor } from '../sessions/connection.supervisor';
import { GatewayCommandRegistry } from './gateway-command.registry';
import { GatewayNodeIdentity } from './gateway-node.identity';
import { GatewayNodeRepository } from './gateway-node.repository';

/** Consumer group of the gateways on the commands topic. */
export const GATEWAY_GROUP = 'gateway';
export const HEARTBEAT_MS = 2_000;
export const RECONCILE_MS = 60_000;
/** Group heartbeat while one command runs long. */
const KEEPALIVE_MS = 2_000;
const PURGE_MS = 10 * 60_000;
const REPLY_RETENTION_MS = 60 * 60_000;
const SILENT_NODE_RETENTION_MS = 24 * 60 * 60_000;
/** Commands read and not yet done, over all connections, before the node stops reading (memory bound). */
const MAX_QUEUED_COMMANDS = 2_000;

/**
 * Two lanes per connection (ConsumerRunner `laneOf`): its sends, in order, and its other commands
 * (lifecycle, pairing code, number check, simulator controls), in order. A command waiting on
 * its connection (a send waiting for `ready`, a start waiting for the previous owner) never
 * delays another connection's commands, and a backlog of sends never delays the pairing code
 * or the restart that would make them possible.
 */
export function laneOf(command: EventEnvelope): string {
  const connection = command.connectionId ?? '';
  return command.type === GATEWAY_COMMANDS.messageSend ? `${connection}/send` : connection;
}

/**
 * A gateway node: a member of the `gateway` consumer group on the commands topic. Kafka assigns
 * it partitions; it runs exactly the connections of those partitions (ConnectionSupervisor) and
 * carries out their commands, in order per connection and side by side across connections. When a node joins, leaves or dies, the
 * group rebalances and the connections move with their partitions.
 *
 * Shutdown (SIGTERM): leave the group first (the others take the partitions at once), then stop
 * every connection, saving its session, so the new owners restore them without a QR code.
 */
@Injectable()
export class GatewayNode implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private handle?: ConsumerHandle;
  private readonly timers: NodeJS.Timeout[] = [];
  private closing = false;

  constructor(
    private readonly runner: ConsumerRunner,
    private readonly supervisor: ConnectionSupervisor,
    private readonly builtIn: ConnectionCommandHandlers,
    private readonly registry: GatewayCommandRegistry,
    private readonly nodes: GatewayNodeRepository,
    private readonly replies: GatewayReplyRepository,
    private readonly identity: GatewayNodeIdentity,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    appLogger: AppLogger,
    metrics: MetricsRegistry,
  ) {
    this.logger = appLogger.child({ context: 'GatewayNode', nodeId: identity.id });
    const node = this.supervisor;
    new Gauge({
      name: 'wwb_gateway_connections',
      help: 'Connections running on this gateway, by status',
      labelNames: ['status'],
      registers: [metrics.registry],
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const id of node.running) {
          const status = node.runtime(id)?.status ?? 'stopped';
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
        for (const [status, n] of counts) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'wwb_gateway_partitions',
      help: 'Commands partitions assigned to this gateway',
      registers: [metrics.registry],
      collect() {
        this.set(node.partitions.length);
      },
    });
  }

  /** The commands consumer (tests wait for `joined`). */
  get consumer(): ConsumerHandle | undefined {
    return this.handle;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.every(HEARTBEAT_MS, () => this.beat());
    this.every(RECONCILE_MS, () => this.supervisor.reconcile());
    this.every(PURGE_MS, () => this.purge());
    this.handle = await this.runner.run({
      groupId: GATEWAY_GROUP,
      topic: 'commands',
      concurrency: this.config.kafka.topics.commands.partitions,
      sessionTimeoutMs: this.config.gateway.sessionTimeoutMs,
      fromBeginning: true,
      onAssignment: (partitions) => {
        // At shutdown the consumer reports [] once it left the group: stopAll() takes it from there.
        if (!this.closing) void this.supervisor.assign(partitions);
      },
      laneOf: laneOf,
      maxLaned: MAX_QUEUED_COMMANDS,
      handler: (command, ctx) => this.keepAlive(ctx, () => this.dispatch(command)),
    });
    this.logger.info({ handlers: this.registry.types }, 'gateway node started');
  }

  async onModuleDestroy(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const t of this.timers.splice(0)) clearInterval(t);
    const started = this.clock.nowMs();
    await this.handle?.stop();
    await this.supervisor.stopAll('gateway shutting down');
    await this.nodes
      .remove(this.identity.id)
      .catch((err: unknown) => this.logger.warn({ err }, 'could not remove the heartbeat'));
    this.logger.info({ ms: this.clock.nowMs() - started }, 'gateway node stopped; sessions saved');
  }

  private async dispatch(command: EventEnvelope): Promise<void> {
    if (!command.connectionId) throw new PermanentError(`command ${command.type} has no connectionId`);
    if (await this.builtIn.handle(command)) return;
    const handler = this.registry.get(command.type);
    if (!handler) throw new PermanentError(`no handler for ${command.type} on this gateway`);
    const session = await this.supervisor.session(command.connectionId, command.accountId);
    await handler(command, session);
  }

  /**
   * Heartbeats the group while a command runs: starting a connection may wait for the previous
   * owner (GATEWAY_HANDOFF_WAIT_MS) and a send for `ready`, longer than the session timeout.
   */
  private async keepAlive(ctx: ConsumerContext, run: () => Promise<void>): Promise<void> {
    const timer = setInterval(() => {
      ctx.heartbeat().catch(() => undefined);
    }, KEEPALIVE_MS);
    try {
      await run();
    } finally {
      clearInterval(timer);
    }
  }

  private async beat(): Promise<void> {
    await this.nodes.beat({
      _id: this.identity.id,
      host: this.identity.host,
      pid: this.identity.pid,
      partitions: this.supervisor.partitions,
      connections: this.supervisor.running.length,
      startedAt: this.identity.startedAt,
      heartbeatAt: this.clock.now(),
    });
  }

  private async purge(): Promise<void> {
    const now = this.clock.nowMs();
    await this.replies.purgeOlderThan(new Date(now - REPLY_RETENTION_MS));
    await this.nodes.purgeSilentSince(new Date(now - SILENT_NODE_RETENTION_MS));
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.closing) return;
      busy = true;
      fn()
        .catch((err: unknown) => this.logger.warn({ err }, 'periodic gateway task failed'))
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
