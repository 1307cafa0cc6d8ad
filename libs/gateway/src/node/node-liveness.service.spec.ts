import { Clock } from '@wwb/runtime';
import { GatewayNodeIdentity } from './gateway-node.identity';
import { GatewayNodeRepository } from './gateway-node.repository';
import { NODE_STALE_MS, NodeLivenessService } from './node-liveness.service';

describe('NodeLivenessService', () => {
  let now: number;
  let beats: Map<string, number>;
  let queries: string[][];
  let liveness: NodeLivenessService;

  beforeEach(() => {
    now = Date.parse('2026-12-07T10:00:00Z');
    beats = new Map();
    queries = [];
    const nodes = {
      beatingSince: async (ids: string[], since: Date) => {
        queries.push(ids);
        return new Set(ids.filter((id) => (beats.get(id) ?? -Infinity) >= since.getTime()));
      },
    };
    liveness = new NodeLivenessService(
      nodes as unknown as GatewayNodeRepository,
      { id: 'gw_SELF' } as GatewayNodeIdentity,
      { nowMs: () => now } as unknown as Clock,
    );
  });

  it('a node is dead once it missed its beats for NODE_STALE_MS, or has no heartbeat at all', async () => {
    beats.set('gw_A', now);
    beats.set('gw_B', now - NODE_STALE_MS + 1);
    beats.set('gw_C', now - NODE_STALE_MS - 1);
    expect(await liveness.deadAmong(['gw_A', 'gw_B', 'gw_C', 'gw_GONE'])).toEqual(
      new Set(['gw_C', 'gw_GONE']),
    );
    now += 2;
    expect(await liveness.isAlive('gw_B')).toBe(false);
    expect(await liveness.isAlive('gw_A')).toBe(true);
  });

  it('never counts this node dead, and asks nothing when only this node is in question', async () => {
    expect(await liveness.deadAmong(['gw_SELF', 'gw_SELF'])).toEqual(new Set());
    expect(await liveness.isAlive('gw_SELF')).toBe(true);
    expect(queries).toEqual([]);
    await liveness.deadAmong(['gw_X', 'gw_SELF', 'gw_X']);
    expect(queries).toEqual([['gw_X']]);
  });
});
