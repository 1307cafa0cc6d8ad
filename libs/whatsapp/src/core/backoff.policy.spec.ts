import { backoffDelay, DEFAULT_BACKOFF, validateBackoff } from './backoff.policy';

describe('backoffDelay', () => {
  const opts = { initialMs: 1_000, maxMs: 10_000, factor: 2, jitter: 0 };

  it('grows exponentially from initialMs and caps at maxMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, opts))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('treats attempt < 1 or non-finite as the first attempt, and never overflows', () => {
    expect(backoffDelay(0, opts)).toBe(1_000);
    expect(backoffDelay(Number.NaN, opts)).toBe(1_000);
    expect(backoffDelay(10_000, opts)).toBe(10_000);
  });

  it('jitter only takes time off, at most jitter * delay', () => {
    const j = { ...opts, jitter: 0.5 };
    expect(backoffDelay(3, j, () => 0)).toBe(4_000);
    expect(backoffDelay(3, j, () => 1)).toBe(2_000);
    expect(backoffDelay(3, j, () => 0.5)).toBe(3_000);
  });

  it('clamps jitter to 0..1', () => {
    expect(backoffDelay(1, { ...opts, jitter: 5 }, () => 1)).toBe(0);
    expect(backoffDelay(1, { ...opts, jitter: -1 }, () => 1)).toBe(1_000);
  });

  it('validates options', () => {
    expect(validateBackoff(DEFAULT_BACKOFF)).toBe(DEFAULT_BACKOFF);
    expect(() => validateBackoff({ ...opts, maxMs: 10 })).toThrow(/invalid backoff/);
    expect(() => validateBackoff({ ...opts, factor: 0.5 })).toThrow(/invalid backoff/);
  });
});
