/**
 * Round-robin over accounts: each round gives every account that has work one step of one of its
 * jobs (its jobs take turns too), so an account's 28-day replay moves one page per round like
 * anybody else's work instead of holding the worker until it is done.
 */
export class JobTurns<T extends { readonly accountId: string }> {
  private readonly queues = new Map<string, T[]>();

  /** Queues a job behind its account's other jobs. */
  add(job: T): void {
    const queue = this.queues.get(job.accountId);
    if (queue) queue.push(job);
    else this.queues.set(job.accountId, [job]);
  }

  /** The next job of each account, taken out (add it again for another turn). */
  round(): T[] {
    const out: T[] = [];
    for (const [accountId, queue] of this.queues) {
      out.push(queue.shift()!);
      if (queue.length === 0) this.queues.delete(accountId);
    }
    return out;
  }

  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }
}
