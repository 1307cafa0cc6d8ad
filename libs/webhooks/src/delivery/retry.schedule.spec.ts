import {
  MAX_ATTEMPTS,
  parseRetryAfter,
  recoveryHorizonMs,
  RETRY_DELAYS_MS,
  RetrySchedule,
} from './retry.schedule';

describe('RetrySchedule', () => {
  it('follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, then gives up', () => {
    const middle = new RetrySchedule(1, () => 0.5);
    const delays = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => middle.delayAfter(i + 1));
    expect(delays).toEqual(RETRY_DELAYS_MS);
    expect(middle.delayAfter(MAX_ATTEMPTS)).toBeNull();
    expect(MAX_ATTEMPTS).toBe(10);
  });

  it('jitters by +-20 % and scales', () => {
    expect(new RetrySchedule(1, () => 0).delayAfter(1)).toBe(4000);
    expect(new RetrySchedule(1, () => 1).delayAfter(1)).toBe(6000);
    expect(new RetrySchedule(0.001, () => 0.5).delayAfter(2)).toBe(300);
  });

  it('waits at least what Retry-After asks, capped at one hour', () => {
    const s = new RetrySchedule(0.001, () => 0.5);
    expect(s.delayAfter(1, 2000)).toBe(2000);
    expect(s.delayAfter(1, 1)).toBe(5);
    expect(s.delayAfter(1, 86_400_000)).toBe(3_600_000);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});

describe('recoveryHorizonMs', () => {
  const DAY = 24 * 3_600_000;
  it('is 7 days at the normal scale, and outlasts the slowest possible schedule when stretched', () => {
    expect(recoveryHorizonMs(1)).toBe(7 * DAY);
    expect(recoveryHorizonMs(0.001)).toBe(7 * DAY);
    const slowest = (scale: number) => {
      const always = new RetrySchedule(scale, () => 1); // every jitter at its maximum
      let total = 0;
      for (let n = 1; n < MAX_ATTEMPTS; n++) total += always.delayAfter(n, 3_600_000)!;
      return total;
    };
    for (const scale of [1, 3, 10, 100]) expect(recoveryHorizonMs(scale)).toBeGreaterThan(slowest(scale));
    expect(recoveryHorizonMs(10)).toBeGreaterThan(30 * DAY);
  });
});
