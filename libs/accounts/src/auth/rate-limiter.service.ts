import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { WindowCounterStore, WindowCountRepository } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';

export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: seconds until one token is back (at least 1). */
  retryAfterSeconds: number;
}

/** A token bucket: `capacity` tokens, refilled continuously at `perSecond`; one request = one token. */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.updatedMs = nowMs;
  }

  take(nowMs: number): TakeResult {
    this.refill(nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true, remaining: Math.floor(this.tokens), retryAfterSeconds: 0 };
    }
    const waitMs = ((1 - this.tokens) / this.perSecond) * 1000;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Full again: the bucket can be forgotten without changing any answer. */
  isFull(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.capacity;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.updatedMs);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.perSecond) / 1000);
    this.updatedMs = nowMs;
  }
}

const SWEEP_ABOVE = 10_000;

/**
 * The shared window of a token bucket: `burst` requests per `burst / perSecond` seconds (at
 * least one second, then `perSecond` per second), so that the sustained rate over all processes
 * is `perSecond` and one process alone may still spend its burst at once.
 */
export function rateWindow(burst: number, perSecond: number): { windowMs: number; limit: number } {
  const windowMs = Math.max(1000, Math.ceil((burst / perSecond) * 1000));
  return { windowMs, limit: Math.max(burst, Math.floor((perSecond * windowMs) / 1000)) };
}

/**
 * Per-key rate limit over all API processes, decided in memory (no database round trip on the
 * request path):
 * - each process keeps a token bucket per key (burst, refill) for the immediate decision;
 * - every process counts what it admitted per key in fixed windows (`rateWindow`) and shares the
 *   counts through MongoDB every RATE_LIMIT_SYNC_MS (WindowCounterStore); once the key's count
 *   over all processes reaches the window's limit, every process refuses it until the window
 *   ends (Retry-After = seconds to the window's end).
 * A process learns of the others' requests up to about two sync intervals late, so a window
 * admits at most `limit + processes x (requests one process admits for the key in 2 x sync)`;
 * each process's bucket caps the latter at `burst + perSecond x 2 x sync`. Without MongoDB each
 * process limits on its own (N processes then allow up to N times the rate).
 */
@Injectable()
export class RateLimiterService implements OnModuleInit, OnModuleDestroy {
  private readonly buckets = new Map<string, TokenBucket>();
  /** Requests per key per window, over all processes. */
  readonly limit: number;
  private readonly burst: number;
  private readonly perSecond: number;
  private readonly counts: WindowCounterStore;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    repository: WindowCountRepository,
    logger: AppLogger,
  ) {
    this.burst = config.auth.rateLimitBurst;
    this.perSecond = config.auth.rateLimitPerSecond;
    const { windowMs, limit } = rateWindow(this.burst, this.perSecond);
    this.limit = limit;
    this.counts = new WindowCounterStore(
      { scope: 'rate', windowMs, syncMs: config.auth.limitSyncMs },
      repository,
      clock,
      logger.child({ component: 'rate-limiter' }),
    );
  }

  onModuleInit(): void {
    this.counts.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.counts.stop();
  }

  take(key: string): TakeResult {
    const now = this.clock.nowMs();
    const used = this.counts.count(key, now);
    if (used >= this.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil(this.counts.msToWindowEnd(now) / 1000));
      return { allowed: false, remaining: 0, retryAfterSeconds };
    }
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      bucket = new TokenBucket(this.burst, this.perSecond, now);
      this.buckets.set(key, bucket);
    }
    const result = bucket.take(now);
    if (!result.allowed) return result;
    this.counts.add(key, now);
    return { ...result, remaining: Math.min(result.remaining, this.limit - used - 1) };
  }

  /** Shares the counts now (the timer does it every RATE_LIMIT_SYNC_MS). */
  sync(): Promise<void> {
    return this.counts.sync();
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }
}
