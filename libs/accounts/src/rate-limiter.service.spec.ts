import type { AppConfig } from '@wwb/config';
import type { Clock } from '@wwb/runtime';
import { RateLimiterService, TokenBucket } from './rate-limiter.service';

describe('TokenBucket', () => {
  it('allows a burst, then refuses with the seconds until a token is back', () => {
    const bucket = new TokenBucket(3, 1, 0);
    expect(bucket.take(0)).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    expect(bucket.take(0).remaining).toBe(1);
    expect(bucket.take(0).remaining).toBe(0);
    expect(bucket.take(0)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(bucket.take(999).allowed).toBe(false);
    expect(bucket.take(1000).allowed).toBe(true);
  });

  it('refills continuously up to the capacity', () => {
    const bucket = new TokenBucket(10, 100, 0);
    for (let i = 0; i < 10; i++) bucket.take(0);
    expect(bucket.take(0).allowed).toBe(false);
    expect(bucket.take(50).remaining).toBe(4); // 50 ms at 100/s: 5 tokens back, one taken
    expect(bucket.isFull(10_000)).toBe(true);
    expect(bucket.take(10_000).remaining).toBe(9);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    const slow = new TokenBucket(1, 0.25, 0);
    slow.take(0);
    expect(slow.take(0).retryAfterSeconds).toBe(4);
    const fast = new TokenBucket(1, 1000, 0);
    fast.take(0);
    expect(fast.take(0).retryAfterSeconds).toBe(1);
  });

  it('ignores a clock going backwards', () => {
    const bucket = new TokenBucket(1, 1, 1000);
    bucket.take(1000);
    expect(bucket.take(500).allowed).toBe(false);
  });
});

describe('RateLimiterService', () => {
  it('keeps one bucket per key', () => {
    let now = 0;
    const clock = { nowMs: () => now } as Clock;
    const config = { auth: { rateLimitBurst: 2, rateLimitPerSecond: 1 } } as AppConfig;
    const limiter = new RateLimiterService(config, clock);
    expect(limiter.limit).toBe(2);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
    now = 1000;
    expect(limiter.take('a').allowed).toBe(true);
  });
});
