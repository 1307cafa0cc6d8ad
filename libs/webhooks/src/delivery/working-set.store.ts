import { Lane, PendingDelivery, Stream } from './delivery-queue';

/**
 * The deliveries a worker holds in memory: by endpoint (a Lane of Streams each, see
 * delivery-queue.ts) and by id. A lane is forgotten once it has nothing left to do, so that
 * endpoints without traffic cost nothing.
 */
export class WorkingSetStore {
  private readonly lanes = new Map<string, Lane>();
  private readonly known = new Map<string, PendingDelivery>();

  /** `cap`: the most requests a lane runs at once (WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT). */
  constructor(private readonly cap: number) {}

  get size(): number {
    return this.known.size;
  }

  has(deliveryId: string): boolean {
    return this.known.has(deliveryId);
  }

  /** Whether `d` is still held (not dropped, say by a lost lease, while its request ran). */
  holds(d: PendingDelivery): boolean {
    return this.known.get(d.id) === d;
  }

  laneOf(endpointId: string): Lane | undefined {
    return this.lanes.get(endpointId);
  }

  /** The endpoint's lane, created when it has none. */
  lane(endpointId: string): Lane {
    let lane = this.lanes.get(endpointId);
    if (!lane) {
      lane = new Lane(endpointId, this.cap);
      this.lanes.set(endpointId, lane);
    }
    return lane;
  }

  allLanes(): IterableIterator<Lane> {
    return this.lanes.values();
  }

  /** Holds `d` in its stream (created when needed) and returns the stream. */
  add(lane: Lane, d: PendingDelivery): Stream {
    this.known.set(d.id, d);
    lane.held++;
    const s = lane.stream(d.streamKey, d.partition);
    s.add(d);
    return s;
  }

  /** Takes a finished delivery out of its stream; true if it was held (its lane has room now). */
  remove(s: Stream, d: PendingDelivery): boolean {
    const i = s.queue.indexOf(d);
    if (i >= 0) s.queue.splice(i, 1);
    if (!this.known.delete(d.id)) return false;
    s.lane.held--;
    return true;
  }

  /** Drops every delivery of a partition (its lease is gone: the next owner sends them). */
  dropPartition(partition: number): void {
    for (const lane of this.lanes.values()) {
      for (const [key, s] of lane.streams) {
        if (s.partition !== partition) continue;
        for (const d of s.queue) if (this.known.delete(d.id)) lane.held--;
        lane.streams.delete(key);
      }
      this.forgetLaneIfIdle(lane);
    }
  }

  /** Drops every delivery of a deleted endpoint, those waiting in the store included. */
  dropEndpoint(endpointId: string): void {
    const lane = this.lanes.get(endpointId);
    if (!lane) return;
    for (const s of lane.streams.values()) for (const d of s.queue) if (this.known.delete(d.id)) lane.held--;
    lane.streams.clear();
    lane.spilledFromId = undefined;
    this.forgetLaneIfIdle(lane);
  }

  /** Removes empty streams, and the lane itself once nothing is queued, in flight or in the store. */
  forgetLaneIfIdle(lane: Lane): void {
    for (const [key, s] of lane.streams) if (s.queue.length === 0 && !s.inFlight) lane.streams.delete(key);
    if (
      lane.streams.size === 0 &&
      lane.inFlight === 0 &&
      lane.spilledFromId === undefined &&
      !lane.reloading
    ) {
      clearTimeout(lane.resumeTimer);
      this.lanes.delete(lane.endpointId);
    }
  }
}
