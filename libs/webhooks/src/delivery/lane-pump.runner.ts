import { Clock } from '@wwb/runtime';
import { DueHeap, Lane, PendingDelivery, Stream } from './delivery-queue';
import { PartitionLeases } from './partition.leases';
import { WorkingSetStore } from './working-set.store';

/** A head whose lease cannot cover a whole request now is looked at again after this. */
const LEASE_RECHECK_MS = 200;

/** Sends a stream's head: it is due and its partition's lease covers the request. */
export type SendHead = (lane: Lane, s: Stream, d: PendingDelivery) => void;

/**
 * Decides when each stream's head goes out: at once when due (the lane's ready queue), else
 * through one timer heap shared by all streams (waiting retries cost one timer, not one each).
 * A lane starts at most `limit` requests at once and none while it is paused (backing off).
 */
export class LanePumpRunner {
  private readonly heap = new DueHeap();
  private heapTimer?: NodeJS.Timeout;
  private heapTimerAt = Infinity;
  private stopped = false;

  constructor(
    private readonly leases: PartitionLeases,
    private readonly held: WorkingSetStore,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly send: SendHead,
  ) {}

  /** Makes a stream's head eligible now, or at its due time. */
  arm(s: Stream): void {
    const lane = s.lane;
    if (s.inFlight || lane.streams.get(s.key) !== s) return;
    const head = s.head;
    if (!head) {
      lane.streams.delete(s.key);
      if (lane.streams.size === 0 && lane.inFlight === 0) this.held.forgetLaneIfIdle(lane);
      return;
    }
    const now = this.clock.nowMs();
    if (head.dueAtMs <= now) {
      if (!s.inReady) {
        s.inReady = true;
        lane.ready.push(s);
      }
      return;
    }
    if (s.armedAt === head.dueAtMs) return;
    s.armedAt = head.dueAtMs;
    this.heap.push({ at: head.dueAtMs, stream: s });
    if (head.dueAtMs < this.heapTimerAt) this.setHeapTimer(head.dueAtMs);
  }

  /** Starts the lane's ready heads up to its concurrency. */
  pump(lane: Lane): void {
    if (this.stopped) return;
    const now = this.clock.nowMs();
    if (lane.pausedUntilMs > now) {
      if (!lane.resumeTimer) {
        lane.resumeTimer = setTimeout(() => {
          lane.resumeTimer = undefined;
          this.pump(lane);
        }, lane.pausedUntilMs - now);
      }
      return;
    }
    while (lane.inFlight < lane.limit && lane.ready.length > 0) {
      const s = lane.ready.shift()!;
      s.inReady = false;
      if (s.inFlight || lane.streams.get(s.key) !== s) continue;
      const head = s.head;
      if (!head) continue;
      if (head.dueAtMs > now) {
        this.arm(s);
        continue;
      }
      if (!this.leases.canSend(s.partition, this.timeoutMs)) {
        head.dueAtMs = now + LEASE_RECHECK_MS; // lease being renewed or going away
        this.arm(s);
        continue;
      }
      this.send(lane, s, head);
    }
  }

  /** No request starts any more. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.heapTimer);
    for (const lane of this.held.allLanes()) clearTimeout(lane.resumeTimer);
  }

  private setHeapTimer(at: number): void {
    clearTimeout(this.heapTimer);
    this.heapTimerAt = at;
    this.heapTimer = setTimeout(() => this.onHeapTimer(), Math.max(0, at - this.clock.nowMs()));
  }

  private onHeapTimer(): void {
    this.heapTimer = undefined;
    this.heapTimerAt = Infinity;
    const now = this.clock.nowMs();
    const touched = new Set<Lane>();
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
      this.heap.pop();
      const s = top.stream;
      if (s.armedAt !== top.at) continue; // superseded
      s.armedAt = -1;
      this.arm(s);
      touched.add(s.lane);
    }
    for (const lane of touched) this.pump(lane);
    const next = this.heap.peek();
    if (next) this.setHeapTimer(next.at);
  }
}
