/**
 * The in-memory side of delivery: per endpoint a lane of streams. A stream is a FIFO of
 * deliveries sent one at a time: one chat's deliveries when the endpoint orders by chat, a
 * single delivery otherwise. A lane runs at most `limit` requests at once; a failing stream
 * waits for its head's retry time without holding back the lane's other streams, and one lane
 * never waits for another (no head-of-line blocking across endpoints).
 */

export interface PendingDelivery {
  id: string;
  endpointId: string;
  accountId: string;
  eventId: string;
  webhookId: string;
  partition: number;
  order: string;
  streamKey: string;
  occurredAtMs: number;
  /** The JSON body (absent after recovery of a far retry; loaded when due). */
  body?: string;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt may start. */
  dueAtMs: number;
}

export class Stream {
  readonly queue: PendingDelivery[] = [];
  inFlight = false;
  inReady = false;
  /** Due time of the heap entry that stands for this stream (lazy deletion). */
  armedAt = -1;

  constructor(
    readonly lane: Lane,
    readonly key: string,
    readonly partition: number,
  ) {}

  get head(): PendingDelivery | undefined {
    return this.queue[0];
  }

  /** Inserts in `order` (almost always at the end). */
  add(d: PendingDelivery): void {
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.order > d.order) i--;
    this.queue.splice(i, 0, d);
  }
}

/** A FIFO with O(1) push and shift. */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private start = 0;

  get length(): number {
    return this.items.length - this.start;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.start >= this.items.length) return undefined;
    const item = this.items[this.start];
    this.items[this.start++] = undefined;
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }
}

export class Lane {
  readonly streams = new Map<string, Stream>();
  readonly ready = new Fifo<Stream>();
  inFlight = 0;
  /** Current concurrency (adaptive: halved on back-pressure, +1 per success up to the cap). */
  limit: number;
  pausedUntilMs = 0;
  /** Consecutive endpoint-level failures (drives the pause length). */
  strikes = 0;
  resumeTimer?: NodeJS.Timeout;
  /** Deliveries held in memory (queued, waiting for a retry or in flight). */
  held = 0;
  /**
   * Set when deliveries were left in the store because the lane held its maximum: the smallest
   * id among them. Nothing new is held until a reload from the store has caught up (order).
   */
  spilledFromId?: string;
  /** Deliveries left in the store while a reload ran (the reload goes on until there are none). */
  spillsDuringReload = 0;
  /** The smallest id left in the store while a reload ran. */
  newSpillMinId?: string;
  reloading = false;

  constructor(
    readonly endpointId: string,
    readonly cap: number,
  ) {
    this.limit = cap;
  }

  stream(key: string, partition: number): Stream {
    let s = this.streams.get(key);
    if (!s) {
      s = new Stream(this, key, partition);
      this.streams.set(key, s);
    }
    return s;
  }

  /** After a success: recover concurrency step by step. */
  succeeded(): void {
    this.strikes = 0;
    if (this.limit < this.cap) this.limit++;
  }

  /** After 429/502/503/504 or an unreachable endpoint: pause and halve concurrency. */
  backOff(nowMs: number, retryAfterMs: number | undefined, baseMs: number, maxMs: number): void {
    this.strikes++;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    const pause = Math.min(maxMs, baseMs * 2 ** Math.min(this.strikes - 1, 20));
    this.pausedUntilMs = Math.max(this.pausedUntilMs, nowMs + Math.max(pause, retryAfterMs ?? 0));
  }
}

interface HeapEntry {
  at: number;
  stream: Stream;
}

/** Min-heap of streams by the due time of their head. */
export class DueHeap {
  private readonly items: HeapEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): HeapEntry | undefined {
    return this.items[0];
  }

  push(entry: HeapEntry): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.at <= a[i]!.at) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }

  pop(): HeapEntry | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.at < a[m]!.at) m = l;
        if (r < a.length && a[r]!.at < a[m]!.at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
