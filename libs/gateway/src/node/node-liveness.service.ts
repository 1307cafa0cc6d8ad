import { Injectable } from '@nestjs/common';
import { Clock } from '@wwb/runtime';
import { GatewayNodeIdentity } from './gateway-node.identity';
import { GatewayNodeRepository } from './gateway-node.repository';

/**
 * A heartbeat older than this means the node is dead: gateways beat every 2 s (HEARTBEAT_MS),
 * so three beats in a row were missed.
 */
export const NODE_STALE_MS = 6_000;

/**
 * Which gateway processes are alive, read from their heartbeats: the one definition used when a
 * gateway decides whether to wait for another (a connection hand-off, a send the other claimed).
 * A node without a heartbeat record is dead: a gateway writes its first one before it consumes
 * any command, and deletes it once it stopped consuming.
 */
@Injectable()
export class NodeLivenessService {
  constructor(
    private readonly nodes: GatewayNodeRepository,
    private readonly identity: GatewayNodeIdentity,
    private readonly clock: Clock,
  ) {}

  /** This process's node id (what it writes into the records it owns). */
  get self(): string {
    return this.identity.id;
  }

  /** The ids among `nodeIds` whose node is dead (this node never is). One query, none if only self. */
  async deadAmong(nodeIds: Iterable<string>): Promise<Set<string>> {
    const others = [...new Set(nodeIds)].filter((id) => id !== this.identity.id);
    if (others.length === 0) return new Set();
    const alive = await this.nodes.beatingSince(others, new Date(this.clock.nowMs() - NODE_STALE_MS));
    return new Set(others.filter((id) => !alive.has(id)));
  }

  async isAlive(nodeId: string): Promise<boolean> {
    return !(await this.deadAmong([nodeId])).has(nodeId);
  }
}
