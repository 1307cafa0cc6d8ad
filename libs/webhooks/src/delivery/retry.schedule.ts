/**
 * When a failed delivery is tried again: immediately, then after 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 20 h and 24 h (Standard Webhooks' schedule, about 3 days), each delay with +-20 %
 * jitter and multiplied by `scale` (WEBHOOK_RETRY_SCALE; below 1 compresses time for tests).
 * A Retry-After the endpoint sent is honoured when it asks for longer (it is not scaled).
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
];

/** Attempts in all: the immediate one plus one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export const JITTER = 0.2;

/** Retry-After values above this are capped (an endpoint cannot park deliveries for days). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const DAY_MS = 24 * 3_600_000;

/**
 * How far back a new partition owner looks for unfinished deliveries: longer than any delivery
 * can stay open under this scale (every delay at its jittered maximum, each stretched to the
 * Retry-After cap, plus a day), and at least 7 days.
 */
export function recoveryHorizonMs(scale: number): number {
  const longest = RETRY_DELAYS_MS.reduce(
    (sum, d) => sum + Math.max(d * scale * (1 + JITTER), MAX_RETRY_AFTER_MS),
    0,
  );
  return Math.max(7 * DAY_MS, Math.ceil(longest) + DAY_MS);
}

export class RetrySchedule {
  constructor(
    private readonly scale: number,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Delay before the next attempt after `attemptsMade` attempts failed, or null when the
   * schedule is exhausted.
   */
  delayAfter(attemptsMade: number, retryAfterMs?: number): number | null {
    if (attemptsMade >= MAX_ATTEMPTS) return null;
    const base = RETRY_DELAYS_MS[attemptsMade - 1]! * this.scale;
    const jittered = base * (1 - JITTER + 2 * JITTER * this.random());
    const floor = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
    return Math.round(Math.max(jittered, floor));
  }
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
