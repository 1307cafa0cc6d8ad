import type { AppConfig } from '@wwb/config';
import type { Clock } from '@wwb/runtime';
import { AuthFailureLimiterService, KNOWN_KEY_TTL_MS } from './auth-failure-limiter.service';

function setup(limit = 3) {
  const clock = { now: 0, nowMs: () => clock.now };
  const config = { auth: { authFailuresPerMinute: limit } } as AppConfig;
  return { clock, limiter: new AuthFailureLimiterService(config, clock as unknown as Clock) };
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

  it('keeps one window from the first failure: later failures do not extend it', () => {
    const { clock, limiter } = setup(2);
    limiter.recordFailure('a');
    clock.now = 30_000;
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(30);
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
    expect((limiter as unknown as { failures: Map<string, unknown> }).failures.size).toBeLessThanOrEqual(
      10_000,
    );
  });
});
