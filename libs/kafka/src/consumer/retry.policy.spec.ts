import { RetryPolicy } from './retry.policy';

describe('RetryPolicy', () => {
  const settings = { maxAttempts: 6, baseMs: 200, maxMs: 3000 };

  it('doubles the ceiling from baseMs and caps it at maxMs', () => {
    const policy = new RetryPolicy(settings);
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => policy.ceilingMs(n))).toEqual([
      200, 400, 800, 1600, 3000, 3000, 3000,
    ]);
  });

  it('draws the delay between half the ceiling and the ceiling (equal jitter)', () => {
    expect(new RetryPolicy(settings, () => 0).delayMs(3)).toBe(400);
    expect(new RetryPolicy(settings, () => 0.5).delayMs(3)).toBe(600);
    expect(new RetryPolicy(settings, () => 0.999999).delayMs(3)).toBe(800);
    const random = new RetryPolicy(settings);
    for (let i = 0; i < 100; i++) {
      const d = random.delayMs(2);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });

  it('allows retries until maxAttempts attempts were made', () => {
    const policy = new RetryPolicy({ ...settings, maxAttempts: 3 });
    expect([1, 2, 3, 4].map((n) => policy.canRetry(n))).toEqual([true, true, false, false]);
    expect(new RetryPolicy({ ...settings, maxAttempts: 1 }).canRetry(1)).toBe(false);
  });

  it('does not overflow for large attempt numbers', () => {
    expect(new RetryPolicy({ maxAttempts: 100, baseMs: 1, maxMs: 10_000 }).ceilingMs(1000)).toBe(10_000);
  });

  it('rejects nonsense settings', () => {
    expect(() => new RetryPolicy({ ...settings, maxAttempts: 0 })).toThrow();
    expect(() => new RetryPolicy({ ...settings, baseMs: -1 })).toThrow();
  });
});
