import type { AppConfig } from '@wwb/config';
import type { WindowCountRepository } from '@wwb/infrastructure';
import type { AppLogger } from '@wwb/observability';
import type { Clock } from '@wwb/runtime';
import { MemoryWindowCounts } from '@wwb/testing';
import { RateLimiterService, rateWindow, TokenBucket } from './rate-limiter.service';

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

describe('rateWindow', () => {
  it('is burst / rate seconds holding the burst, at least one second holding a second of the rate', () => {
    expect(rateWindow(100, 50)).toEqual({ windowMs: 2000, limit: 100 });
    expect(rateWindow(3, 1)).toEqual({ windowMs: 3000, limit: 3 });
    expect(rateWindow(10, 100)).toEqual({ windowMs: 1000, limit: 100 });
    expect(rateWindow(100, 3)).toEqual({ windowMs: 33_334, limit: 100 });
  });
});

/** API processes sharing one window-count store, on a clock the test moves. */
function cluster(burst: number, perSecond: number) {
  const clock = { now: 0, nowMs: () => clock.now };
  const db = new MemoryWindowCounts();
  const config = {
    auth: { rateLimitBurst: burst, rateLimitPerSecond: perSecond, limitSyncMs: 100 },
  } as AppConfig;
  const logger = { child: () => ({ warn: () => undefined, info: () => undefined }) } as unknown as AppLogger;
  const process = () =>
    new RateLimiterService(config, clock as unknown as Clock, db as unknown as WindowCountRepository, logger);
  return { clock, db, process };
}

describe('RateLimiterService', () => {
  it('keeps one bucket per key; a spent window refuses until it ends, with Retry-After to its end', () => {
    const { clock, process } = cluster(2, 1);
    const limiter = process();
    expect(limiter.limit).toBe(2);
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect(limiter.take('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 2 });
    expect(limiter.take('b').allowed).toBe(true);
    clock.now = 1000;
    // The bucket holds a token again, but the window [0, 2 s) is spent.
    expect(limiter.take('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    clock.now = 2000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('the bucket still paces bursts inside a window that has room', () => {
    const { clock, process } = cluster(2, 10);
    const limiter = process();
    expect(limiter.limit).toBe(10);
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect(limiter.take('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    clock.now = 100;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('two processes together admit the window limit, plus at most what each admits between syncs', async () => {
    const { process } = cluster(50, 25);
    const a = process();
    const b = process();
    let admitted = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5; i++) {
        if (a.take('k').allowed) admitted++;
        if (b.take('k').allowed) admitted++;
      }
      await a.sync();
      await b.sync();
    }
    // Per process: 50 in its bucket, so 100 without sharing.
    expect(admitted).toBeGreaterThanOrEqual(50);
    expect(admitted).toBeLessThanOrEqual(50 + 2 * 5);
    const refused = a.take('k');
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 2 });
    expect(b.take('other').allowed).toBe(true);
  });

  it("X-RateLimit-Remaining counts the other processes' requests once synced", async () => {
    const { process } = cluster(10, 5);
    const a = process();
    const b = process();
    for (let i = 0; i < 6; i++) a.take('k');
    expect(b.take('k').remaining).toBe(9);
    await a.sync();
    await b.sync();
    expect(b.take('k').remaining).toBe(2);
  });

  it('with the store down, each process limits on its own', async () => {
    const { db, process } = cluster(3, 1);
    db.down = true;
    const a = process();
    const b = process();
    let admitted = 0;
    for (let i = 0; i < 5; i++) {
      if (a.take('k').allowed) admitted++;
      if (b.take('k').allowed) admitted++;
      await a.sync();
      await b.sync();
    }
    expect(admitted).toBe(6);
  });
});
