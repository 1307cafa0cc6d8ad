import type { MessageSendRecord } from './message-send.schema';

/** A send whose driver call started this long ago without an outcome was interrupted. */
export const SENDING_LEASE_MS = 5 * 60_000;

/** What a delivery of `gateway.message.send` should do, given the claim generations of its message. */
export type ClaimDecision =
  | { kind: 'take'; gen: number; waitingSince?: Date }
  | { kind: 'done' }
  | { kind: 'busy'; reason: string }
  | { kind: 'interrupted'; gen: number };

export interface ClaimTimings {
  /** A `claimed` generation older than this was abandoned (its holder died before the driver call). */
  claimGraceMs: number;
  /** A `sending` generation older than this was interrupted (its holder died during the driver call). */
  sendingLeaseMs: number;
}

/** The gateway nodes a claim decision must know about: those holding a generation in flight. */
export function holdersInFlight(gens: readonly MessageSendRecord[]): string[] {
  return gens
    .filter((g) => (g.state === 'sending' || g.state === 'claimed') && g.nodeId !== undefined)
    .map((g) => g.nodeId!);
}

/**
 * The claim rule, over every generation of a message's claim:
 * - any `done`: the send is settled;
 * - any `sending`: in progress (busy) until the sending lease ends or its holder's node is dead,
 *   then interrupted: it is never sent again, the next generation records the failure;
 * - else the newest generation: `claimed` and fresh is busy; `claimed` but stale or held by a
 *   dead node, `waiting` (parked until ready) or `aborted` (backed off) is taken over by
 *   inserting the next generation;
 * - no generation yet: take generation 0.
 *
 * `deadNodes` (from the nodes' heartbeats) is what lets a gateway killed mid-send be recovered
 * in seconds: its generations would otherwise hold the message for a whole lease. Generations
 * without a node id (written before ids were recorded) fall back to the leases alone.
 */
export function decideClaim(
  gens: readonly MessageSendRecord[],
  nowMs: number,
  t: ClaimTimings,
  deadNodes: ReadonlySet<string> = new Set(),
): ClaimDecision {
  if (gens.length === 0) return { kind: 'take', gen: 0 };
  if (gens.some((g) => g.state === 'done')) return { kind: 'done' };
  const next = Math.max(...gens.map((g) => g.gen)) + 1;
  const dead = (g: MessageSendRecord) => g.nodeId !== undefined && deadNodes.has(g.nodeId);
  const sending = gens.find((g) => g.state === 'sending');
  if (sending) {
    const since = (sending.sendingAt ?? sending.claimedAt).getTime();
    return nowMs - since < t.sendingLeaseMs && !dead(sending)
      ? { kind: 'busy', reason: 'the send is in progress on another handler' }
      : { kind: 'interrupted', gen: next };
  }
  const latest = gens.reduce((a, b) => (b.gen > a.gen ? b : a));
  const waitingSince = gens.map((g) => g.waitingSince).find((w) => w !== undefined);
  if (latest.state === 'claimed' && nowMs - latest.claimedAt.getTime() < t.claimGraceMs && !dead(latest)) {
    return { kind: 'busy', reason: 'the send is claimed by another handler' };
  }
  return { kind: 'take', gen: next, ...(waitingSince ? { waitingSince } : {}) };
}

/**
 * Right before the driver call, after marking its own generation `sending`: the holder may send
 * only if no other generation is sending or done and none is newer (nobody took over from it).
 */
export function mayCallDriver(gens: readonly MessageSendRecord[], mine: string): boolean {
  const own = gens.find((g) => g._id === mine);
  if (!own || own.state !== 'sending') return false;
  return gens.every(
    (g) => g._id === mine || (g.gen < own.gen && g.state !== 'sending' && g.state !== 'done'),
  );
}
