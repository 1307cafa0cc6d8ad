import type { AppConfig } from '@wwb/config';
import type { WindowCountRepository } from '@wwb/infrastructure';
import type { AppLogger } from '@wwb/observability';
import type { Clock } from '@wwb/runtime';
import { MemoryWindowCounts } from '@wwb/testing';
import { AuthFailureLimiterService, KNOWN_KEY_TTL_MS } from './auth-failure-limiter.service';

function setup(limit = 3) {
  const clock = { now: 0, nowMs: () => clock.now };
  const config = { auth: { authFailuresPerMinute: limit, limitSyncMs: 100 } } as AppConfig;
  const db = new MemoryWindowCounts();
  const logger = { child: () => ({ warn: () => undefined, info: () => undefined }) } as unknown as AppLogger;
  /** One more API process sharing the same store. */
  const process = () =>
    new AuthFailureLimiterService(
      config,
      clock as unknown as Clock,
      db as unknown as WindowCountRepository,
      logger,
    );
  return { clock, db, process, limiter: process() };
}

describe('AuthFailureLimiterService', () => {
  it('throttles an address once its failures reach the budget, until the minute has passed', () => {
    const { clock, limiter } = setup(3);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
      limiter.recordFailure('10.0.0.1');
    }
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(60);
    clock.now = 59_001;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(1);
    clock.now = 60_000;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
    limiter.recordFailure('10.0.0.1');
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('counts each address on its own', () => {
    const { limiter } = setup(2);
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(60);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    limiter.recordFailure('b');
    expect(limiter.retryAfterSeconds('b')).toBe(0);
  });

  it('rounds Retry-After up to whole seconds', () => {
    const { clock, limiter } = setup(1);
    limiter.recordFailure('a');
    clock.now = 10_500;
    expect(limiter.retryAfterSeconds('a')).toBe(50);
  });

  it('counts in fixed clock minutes: later failures do not extend the window', () => {
    const { clock, limiter } = setup(2);
    clock.now = 120_000;
    limiter.recordFailure('a');
    clock.now = 150_000;
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(30);
    clock.now = 180_000;
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });

  it('adds up the failures of every API process sharing the store', async () => {
    const { limiter: a, process, db } = setup(4);
    const b = process();
    a.recordFailure('10.0.0.1');
    a.recordFailure('10.0.0.1');
    b.recordFailure('10.0.0.1');
    b.recordFailure('10.0.0.1');
    expect(a.retryAfterSeconds('10.0.0.1')).toBe(0);
    await a.sync();
    await b.sync();
    await a.sync();
    expect(a.retryAfterSeconds('10.0.0.1')).toBe(60);
    expect(b.retryAfterSeconds('10.0.0.1')).toBe(60);
    expect(b.retryAfterSeconds('10.0.0.2')).toBe(0);
    expect([...db.docs.keys()].every((id) => id.startsWith('auth-failures/0/'))).toBe(true);
  });

  it('with the store down, each process throttles on its own', async () => {
    const { limiter: a, process, db } = setup(2);
    const b = process();
    db.down = true;
    a.recordFailure('x');
    b.recordFailure('x');
    await a.sync();
    await b.sync();
    expect(a.retryAfterSeconds('x')).toBe(0);
    a.recordFailure('x');
    expect(a.retryAfterSeconds('x')).toBe(60);
  });

  it('remembers verified keys for a day', () => {
    const { clock, limiter } = setup();
    expect(limiter.isKnownKey('h1')).toBe(false);
    limiter.rememberKey('h1');
    expect(limiter.isKnownKey('h1')).toBe(true);
    expect(limiter.isKnownKey('h2')).toBe(false);
    clock.now = KNOWN_KEY_TTL_MS - 1;
    expect(limiter.isKnownKey('h1')).toBe(true);
    clock.now = KNOWN_KEY_TTL_MS;
    expect(limiter.isKnownKey('h1')).toBe(false);
  });

  it('stays bounded under a flood of addresses and still throttles the newest', () => {
    const { limiter } = setup(1);
    for (let i = 0; i < 10_050; i++) limiter.recordFailure(`addr-${i}`);
    expect(limiter.retryAfterSeconds('addr-10049')).toBe(60);
    expect((limiter as unknown as { failures: { ownKeys: number } }).failures.ownKeys).toBeLessThanOrEqual(
      10_000,
    );
  });
});
