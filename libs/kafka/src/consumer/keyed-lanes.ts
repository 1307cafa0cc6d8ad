/**
 * Serial lanes keyed by a string: tasks of one key run one at a time in push order, tasks of
 * different keys run side by side. The consumer runner uses it for `laneOf` (one lane per
 * connection on the gateway), so that a slow command for one key never delays another key's
 * commands of the same partition.
 *
 * Memory is bounded by the caller: `size` counts every task pushed and not yet settled, and
 * `whenBelow(n)` resolves once fewer than `n` are queued (the runner stops reading the partition
 * meanwhile, which is Kafka's own back-pressure).
 */
export class KeyedLanes {
  /** Tail of each lane: resolves when the lane's last pushed task has settled. */
  private readonly tails = new Map<string, Promise<void>>();
  private count = 0;
  private waiters: { below: number; resolve: () => void }[] = [];

  /** Tasks pushed and not yet settled, over all lanes. */
  get size(): number {
    return this.count;
  }

  /** Lanes with at least one task queued or running. */
  get lanes(): number {
    return this.tails.size;
  }

  /**
   * Runs `task` after the tasks pushed earlier for `key` have settled. The returned promise
   * settles like the task; a failed task does not stop its lane.
   */
  push(key: string, task: () => Promise<void>): Promise<void> {
    this.count++;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      this.count--;
      // The lane is idle when nothing was pushed behind this task meanwhile.
      if (this.tails.get(key) === tail) this.tails.delete(key);
      this.wake();
    });
    return run;
  }

  /** Resolves once fewer than `n` tasks are queued or running (at once if that is so now). */
  whenBelow(n: number): Promise<void> {
    if (this.count < n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ below: n, resolve }));
  }

  /** Resolves once every lane is idle. */
  idle(): Promise<void> {
    return this.whenBelow(1);
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.count < w.below) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
