/**
 * Coalesces concurrent writes: while one flush is in flight, the items that arrive wait and then
 * go together in the next flush, in arrival order. Each `add()` settles with its own item's
 * outcome. FerretDB runs writes one transaction at a time and the idempotent Kafka producer has
 * one request in flight per broker, so one write per HTTP request would cap the accept path at
 * one round trip per request; coalesced, a round trip carries every request that arrived meanwhile.
 */
export class CoalescingQueue<T> {
  private queue: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private inFlight = 0;

  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly lingerMs: number;

  /**
   * @param flush writes a batch; resolves with one entry per item (undefined = written, else the
   *   error of that item) or void when all were written; rejects when the whole batch failed.
   * @param options.maxBatch items per flush at most (500).
   * @param options.maxInFlight flushes running at once (1). Keep 1 where order matters: with
   *   more, a later batch may complete first (accepted messages would be published out of order).
   * @param options.lingerMs how long a flush waits for more items before it starts, unless a
   *   full batch is waiting (0: at once). For writes nobody waits on, where fewer round trips
   *   matter more than a few milliseconds.
   */
  constructor(
    private readonly flush: (items: T[]) => Promise<(unknown | undefined)[] | void>,
    options: { maxBatch?: number; maxInFlight?: number; lingerMs?: number } = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.lingerMs = options.lingerMs ?? 0;
  }

  /** Items waiting or being written. */
  get size(): number {
    return this.queue.length + this.inFlight;
  }

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.inFlight < this.maxInFlight) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight += 1;
    try {
      while (this.queue.length) {
        if (this.lingerMs > 0 && this.queue.length < this.maxBatch) {
          await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
        }
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const errors = await this.flush(batch.map((b) => b.item));
          batch.forEach((b, i) => {
            const err = errors?.[i];
            if (err === undefined) b.resolve();
            else b.reject(err);
          });
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.inFlight -= 1;
    }
  }
}
