import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { AppLogger } from '@wwb/observability';
import { LeaseRepository } from '@wwb/infrastructure';
import { Clock, IdGenerator } from '@wwb/runtime';

export interface LeaseListener {
  /** This worker now holds the partition's lease: it may send the partition's deliveries. */
  acquired(partition: number): void;
  /** The lease is gone (unassigned, released, or not renewed in time): stop sending at once. */
  lost(partition: number): void;
}

interface Held {
  /** Local time until which the lease is certainly ours (taken before the write was sent). */
  validUntilMs: number;
}

/** The lease's name in the shared `leases` collection. */
const leaseName = (partition: number): string => `webhooks/p${partition}`;

/**
 * Leases on the partitions of webhook deliveries (one LeaseRepository lease per partition), so that
 * exactly one worker sends a partition's deliveries even while Kafka moves partitions between
 * workers or a worker is stuck: a worker acquires the lease of each partition the `webhooks`
 * group assigns to it (waiting for a previous holder to release it or for it to expire),
 * renews it every third of WEBHOOK_LEASE_MS, and releases it when the partition goes away.
 * A delivery request starts only while the lease is valid for longer than the request timeout.
 */
@Injectable()
export class PartitionLeases implements BeforeApplicationShutdown {
  readonly holder: string;
  private readonly leaseMs: number;
  private assigned = new Set<number>();
  private readonly held = new Map<number, Held>();
  private listener?: LeaseListener;
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    config: AppConfig,
    private readonly repository: LeaseRepository,
    private readonly clock: Clock,
    ids: IdGenerator,
    appLogger: AppLogger,
  ) {
    this.leaseMs = config.webhooks.leaseMs;
    // Renewed at a third, a lease is valid for at least two thirds of its length: a request
    // (at most WEBHOOK_TIMEOUT_MS) must fit in that, with a margin.
    if ((this.leaseMs * 2) / 3 <= config.webhooks.timeoutMs + 1000) {
      throw new Error(
        `WEBHOOK_LEASE_MS (${this.leaseMs}) must exceed 1.5 x WEBHOOK_TIMEOUT_MS + 1500 ms (${Math.ceil(
          config.webhooks.timeoutMs * 1.5 + 1500,
        )})`,
      );
    }
    this.holder = `${process.pid}-${ids.ulid()}`;
    this.logger = appLogger.child({ context: 'PartitionLeases', holder: this.holder });
  }

  setListener(listener: LeaseListener): void {
    this.listener = listener;
  }

  /** The partitions the consumer group gives this worker now. */
  assign(partitions: number[]): void {
    if (this.stopped) return;
    this.assigned = new Set(partitions);
    for (const p of [...this.held.keys()]) if (!this.assigned.has(p)) void this.release(p);
    this.schedule(0);
  }

  /** Whether a request of `durationMs` may start now for this partition. */
  canSend(partition: number, durationMs: number): boolean {
    const h = this.held.get(partition);
    return !!h && h.validUntilMs - this.clock.nowMs() > durationMs + 500;
  }

  holds(partition: number): boolean {
    return this.held.has(partition);
  }

  /** The partitions held now. */
  heldPartitions(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...this.held.keys()].map((p) => this.release(p)));
  }

  /** Gives up a partition (after its in-flight requests ended). */
  async release(partition: number): Promise<void> {
    if (!this.held.delete(partition)) return;
    this.listener?.lost(partition);
    try {
      await this.repository.release(leaseName(partition), this.holder);
    } catch (err) {
      this.logger.warn({ err, partition }, 'could not release a lease; it will expire');
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      const now = this.clock.nowMs();
      for (const p of this.assigned) {
        const h = this.held.get(p);
        try {
          if (h) {
            if (h.validUntilMs - now < this.leaseMs / 6) {
              // Renewal came too late to be safe: drop and take it again below.
              this.logger.warn({ partition: p }, 'lease about to expire before renewal; giving it up');
              await this.release(p);
              continue;
            }
            if (now - (h.validUntilMs - this.leaseMs) >= this.leaseMs / 3) {
              if (await this.repository.renew(leaseName(p), this.holder, this.leaseMs))
                h.validUntilMs = now + this.leaseMs;
              else {
                this.logger.warn({ partition: p }, 'lease lost');
                this.held.delete(p);
                this.listener?.lost(p);
              }
            }
          } else if (await this.repository.acquire(leaseName(p), this.holder, this.leaseMs)) {
            if (this.stopped || !this.assigned.has(p)) {
              await this.repository.release(leaseName(p), this.holder);
              continue;
            }
            this.held.set(p, { validUntilMs: now + this.leaseMs });
            this.logger.info({ partition: p }, 'lease acquired');
            this.listener?.acquired(p);
          }
        } catch (err) {
          this.logger.warn({ err, partition: p }, 'lease operation failed');
        }
      }
    } finally {
      this.ticking = false;
      const waiting = [...this.assigned].some((p) => !this.held.has(p));
      this.schedule(waiting ? Math.min(1000, this.leaseMs / 10) : this.leaseMs / 6);
    }
  }
}
