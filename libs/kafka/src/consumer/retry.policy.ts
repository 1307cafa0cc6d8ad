export interface RetrySettings {
  /** Total attempts, the first one included (1 = no retry). */
  maxAttempts: number;
  /** Delay before the first retry; doubled for each further retry. */
  baseMs: number;
  /** Upper bound of a single delay. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": the delay before retry n (n = 1 after the first
 * failed attempt) is d = min(maxMs, baseMs * 2^(n-1)), drawn uniformly from [d/2, d]. Half of
 * the delay is guaranteed (so retries really back off); the random half spreads out consumers
 * that failed at the same moment.
 */
export class RetryPolicy {
  constructor(
    readonly settings: RetrySettings,
    private readonly random: () => number = Math.random,
  ) {
    if (settings.maxAttempts < 1) throw new Error('maxAttempts must be >= 1');
    if (settings.baseMs < 0 || settings.maxMs < 0) throw new Error('retry delays must be >= 0');
  }

  /** The ceiling of the delay before retry `retry` (1-based), without jitter. */
  ceilingMs(retry: number): number {
    const { baseMs, maxMs } = this.settings;
    const exp = Math.min(Math.max(retry - 1, 0), 52);
    return Math.min(maxMs, baseMs * 2 ** exp);
  }

  /** The delay before retry `retry` (1-based), with jitter. */
  delayMs(retry: number): number {
    const ceiling = this.ceilingMs(retry);
    const half = ceiling / 2;
    return Math.round(half + this.random() * half);
  }

  /** Whether another attempt is allowed after `attemptsMade` failed attempts. */
  canRetry(attemptsMade: number): boolean {
    return attemptsMade < this.settings.maxAttempts;
  }
}
