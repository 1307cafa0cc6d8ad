import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { Clock } from '@wwb/runtime';

export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Keys verified on this process are remembered this long, so that they pass a throttled address. */
export const KNOWN_KEY_TTL_MS = 24 * 60 * 60_000;
const MAX_ENTRIES = 10_000;

interface FailureWindow {
  startMs: number;
  count: number;
}

/**
 * Failed authentications per client address, in a fixed one-minute window, in the memory of this
 * API process (N processes allow N times the budget). A success does not reset the count, or an
 * attacker holding one valid key could interleave it with guesses.
 *
 * It also remembers the hashes of API keys that verified on this process: a throttled address
 * still reaches the key check with those (users behind the attacker's NAT keep working), while
 * unknown keys are refused without a database lookup.
 */
@Injectable()
export class AuthFailureLimiterService {
  readonly limit: number;
  private readonly failures = new Map<string, FailureWindow>();
  private readonly knownKeys = new Map<string, number>();

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.limit = config.auth.authFailuresPerMinute;
  }

  /** Seconds until `address` may fail again (at least 1), or 0 while it is within its budget. */
  retryAfterSeconds(address: string): number {
    const now = this.clock.nowMs();
    const window = this.current(address, now);
    if (!window || window.count < this.limit) return 0;
    return Math.max(1, Math.ceil((window.startMs + AUTH_FAILURE_WINDOW_MS - now) / 1000));
  }

  recordFailure(address: string): void {
    const now = this.clock.nowMs();
    const window = this.current(address, now);
    if (window) {
      window.count++;
      return;
    }
    if (this.failures.size >= MAX_ENTRIES) this.sweepFailures(now);
    this.failures.set(address, { startMs: now, count: 1 });
  }

  rememberKey(keyHash: string): void {
    this.knownKeys.delete(keyHash);
    if (this.knownKeys.size >= MAX_ENTRIES) {
      const oldest = this.knownKeys.keys().next();
      if (!oldest.done) this.knownKeys.delete(oldest.value);
    }
    this.knownKeys.set(keyHash, this.clock.nowMs());
  }

  isKnownKey(keyHash: string): boolean {
    const at = this.knownKeys.get(keyHash);
    return at !== undefined && this.clock.nowMs() - at < KNOWN_KEY_TTL_MS;
  }

  private current(address: string, now: number): FailureWindow | undefined {
    const window = this.failures.get(address);
    if (!window) return undefined;
    if (now - window.startMs >= AUTH_FAILURE_WINDOW_MS || now < window.startMs) {
      this.failures.delete(address);
      return undefined;
    }
    return window;
  }

  private sweepFailures(now: number): void {
    for (const [address, window] of this.failures) {
      if (now - window.startMs >= AUTH_FAILURE_WINDOW_MS) this.failures.delete(address);
    }
    // Still full (a flood of distinct addresses): drop the oldest rather than grow without bound.
    while (this.failures.size >= MAX_ENTRIES) {
      const oldest = this.failures.keys().next();
      if (oldest.done) break;
      this.failures.delete(oldest.value);
    }
  }
}
