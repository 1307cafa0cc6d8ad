import type { SchedulerRegistry } from '@nestjs/schedule';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { LeaseRepository } from './lease.repository';

export interface LeasedJobOptions {
  /** Lease and timer name (one per job, cluster-wide). */
  name: string;
  intervalMs: number;
  /** How long a taken lease lasts; the holder renews it at every run, so make it a few intervals. */
  leaseMs: number;
  leases: LeaseRepository;
  scheduler: SchedulerRegistry;
  logger: Logger;
  /** A unique id of this node (see `LeasedJob.holderId`). */
  holder: string;
}

/**
 * A cluster-wide periodic job: a @nestjs/schedule interval fires on every node, and the node
 * holding the job's Mongo lease does the work (`lead()` takes or renews it). Runs of one node
 * never overlap; a failed run is logged and the next tick tries again. Start it from
 * onApplicationBootstrap and stop it before shutdown (stopping gives the lease back, so another
 * node takes over at once).
 */
export class LeasedJob {
  private running = false;
  /** The run in progress, so that stop() gives the lease back only after it. */
  private current: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: LeasedJobOptions) {}

  static holderId(ulid: string): string {
    return `${hostname()}/${process.pid}/${ulid}`;
  }

  start(work: () => Promise<unknown>): void {
    const { name, intervalMs, scheduler } = this.options;
    const timer = setInterval(() => void this.tick(work), intervalMs);
    timer.unref();
    scheduler.addInterval(name, timer);
  }

  /** True on the one node that should work now (the lease is taken or renewed). */
  lead(): Promise<boolean> {
    const { name, holder, leaseMs, leases } = this.options;
    return leases.acquire(name, holder, leaseMs);
  }

  /**
   * Removes the timer, waits for a run in progress (its lead() could otherwise extend the lease
   * after it was given back; at most leaseMs), then gives the lease back.
   */
  async stop(): Promise<void> {
    const { name, holder, scheduler, leases } = this.options;
    this.stopped = true;
    if (scheduler.doesExist('interval', name)) scheduler.deleteInterval(name);
    // Not longer than the lease: by then it has lapsed anyway, and shutdown must go on.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.current, new Promise((r) => (timer = setTimeout(r, this.options.leaseMs)))]);
    clearTimeout(timer);
    await leases.release(name, holder).catch(() => undefined);
  }

  private async tick(work: () => Promise<unknown>): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    const run = work();
    this.current = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      await run;
    } catch (err) {
      this.options.logger.warn(
        { err, job: this.options.name },
        'periodic job failed; retried at the next tick',
      );
    } finally {
      this.running = false;
    }
  }
}
