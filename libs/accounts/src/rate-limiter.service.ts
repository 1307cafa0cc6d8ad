import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
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
 * Per-key rate limit, in the memory of this API process (N processes allow N times the rate;
 * a shared store would be needed for a global limit).
 */
@Injectable()
export class RateLimiterService {
  private readonly buckets = new Map<string, TokenBucket>();
  readonly limit: number;
  private readonly perSecond: number;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.limit = config.auth.rateLimitBurst;
    this.perSecond = config.auth.rateLimitPerSecond;
  }

  take(key: string): TakeResult {
    const now = this.clock.nowMs();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      bucket = new TokenBucket(this.limit, this.perSecond, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }
}
