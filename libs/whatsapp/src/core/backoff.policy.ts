export interface BackoffOptions {
  /** Delay before the first retry (ms). */
  initialMs: number;
  /** Largest delay (ms). */
  maxMs: number;
  /** Growth per attempt (2 doubles). */
  factor: number;
  /** 0..1: share of the delay that is randomized downwards (0 = deterministic). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 2_000,
  maxMs: 5 * 60_000,
  factor: 2,
  jitter: 0.2,
};

/**
 * Exponential backoff with jitter: attempt 1 waits about `initialMs`, then `factor` times more
 * each attempt, capped at `maxMs`; jitter takes up to `jitter * delay` off so that many
 * connections failing together do not retry in lockstep.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  if (!Number.isFinite(attempt) || attempt < 1) attempt = 1;
  const exp = options.initialMs * Math.pow(options.factor, attempt - 1);
  const base = Math.min(options.maxMs, Number.isFinite(exp) ? exp : options.maxMs);
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.round(base - base * jitter * random());
}

export function validateBackoff(options: BackoffOptions): BackoffOptions {
  if (options.initialMs < 0 || options.maxMs < options.initialMs || options.factor < 1) {
    throw new Error(`invalid backoff ${JSON.stringify(options)}`);
  }
  return options;
}
