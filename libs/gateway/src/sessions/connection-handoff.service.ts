import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { ConnectionStateRecord, ConnectionStateRepository, stateId } from '@wwb/connections';
import type { ConnectionStatus } from '@wwb/contracts';
import { AppLogger } from '@wwb/observability';
import { AccountScope } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { GatewayNodeIdentity } from '../node/gateway-node.identity';
import { NodeLivenessService } from '../node/node-liveness.service';
const HANDOFF_POLL_MS = 250;

/** The part of a connection a claim needs. */
interface ClaimRef {
  id: string;
  accountId: string;
}

/**
 * Taking a connection over from another gateway: claiming the next ownership epoch of its state
 * (one insert, so two claimants cannot share an epoch) and waiting, while the previous owner is
 * alive, until it has stopped the connection and saved its session.
 */
@Injectable()
export class ConnectionHandOff {
  private readonly logger: Logger;

  constructor(
    private readonly config: AppConfig,
    private readonly states: ConnectionStateRepository,
    private readonly liveness: NodeLivenessService,
    private readonly node: GatewayNodeIdentity,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'ConnectionHandOff', nodeId: node.id });
  }

  /** Takes the connection's next ownership epoch for this node (see docs/architecture.md). */
  claim(
    ref: ClaimRef,
    status: ConnectionStatus,
  ): Promise<{ record: ConnectionStateRecord; previous: ConnectionStateRecord | null }> {
    const now = this.clock.now();
    return this.states.claim({ accountId: ref.accountId }, ref.id, (previous, epoch) => {
      const record: ConnectionStateRecord = {
        _id: stateId(ref.id, epoch),
        connectionId: ref.id,
        accountId: ref.accountId,
        epoch,
        nodeId: this.node.id,
        status,
        statusAt: now,
        failures: 0,
        startedAt: now,
        updatedAt: now,
      };
      if (previous && previous.nodeId !== this.node.id)
        record.statusReason = `taken over by gateway ${this.node.id}`;
      if (previous && previous.status !== 'logged_out') {
        if (previous.phoneNumber) record.phoneNumber = previous.phoneNumber;
        if (previous.pushName) record.pushName = previous.pushName;
      }
      if (previous?.lastError) {
        record.lastError = previous.lastError;
        if (previous.lastErrorAt) record.lastErrorAt = previous.lastErrorAt;
      }
      return record;
    });
  }

  /**
   * The previous owner is alive and has not released the connection yet (a rebalance moved
   * it while it still runs there): wait until it has stopped it and saved its session, at most
   * GATEWAY_HANDOFF_WAIT_MS. A dead owner (silent heartbeat) is not waited for.
   */
  async awaitRelease(
    scope: AccountScope,
    previous: ConnectionStateRecord | null,
    closing: () => boolean,
  ): Promise<void> {
    if (!previous || previous.nodeId === this.node.id || previous.releasedAt) return;
    if (previous.status === 'stopped' || previous.status === 'logged_out') return;
    const started = this.clock.nowMs();
    const deadline = started + this.config.gateway.handoffWaitMs;
    while (this.clock.nowMs() < deadline && !closing()) {
      const [alive, state] = await Promise.all([
        this.liveness.isAlive(previous.nodeId),
        this.states.get(scope, previous._id),
      ]);
      if (
        !alive ||
        !state ||
        state.releasedAt ||
        state.status === 'stopped' ||
        state.status === 'logged_out'
      ) {
        this.logger.info(
          {
            connectionId: previous.connectionId,
            from: previous.nodeId,
            alive,
            waitedMs: this.clock.nowMs() - started,
          },
          'hand-off: previous owner done',
        );
        return;
      }
      await this.clock.sleep(HANDOFF_POLL_MS);
    }
    if (!closing()) {
      this.logger.warn(
        {
          connectionId: previous.connectionId,
          from: previous.nodeId,
          waitedMs: this.clock.nowMs() - started,
        },
        'hand-off: the previous owner did not release the connection in time; starting anyway',
      );
    }
  }
}
