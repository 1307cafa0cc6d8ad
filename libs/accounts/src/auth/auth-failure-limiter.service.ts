import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { WindowCounterStore, WindowCountRepository } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';

export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Keys verified on this process are remembered this long, so that they pass a throttled address. */
export const KNOWN_KEY_TTL_MS = 24 * 60 * 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Failed authentications per client address, in fixed one-minute windows (aligned to the clock
 * minute), over all API processes: each process counts its own failures in memory and shares
 * them through MongoDB every RATE_LIMIT_SYNC_MS (WindowCounterStore), so the decision costs no
 * database round trip. Other processes' failures arrive up to about two sync intervals late: a
 * window lets through at most `limit + processes x (failures one process sees in 2 x sync)`.
 * Without MongoDB each process throttles on its own. A success does not reset the count, or an
 * attacker holding one valid key could interleave it with guesses.
 *
 * It also remembers the hashes of API keys that verified on this process: a throttled address
 * still reaches the key check with those (users behind the attacker's NAT keep working), while
 * unknown keys are refused without a database lookup.
 */
@Injectable()
export class AuthFailureLimiterService implements OnModuleInit, OnModuleDestroy {
  readonly limit: number;
  private readonly failures: WindowCounterStore;
  private readonly knownKeys = new Map<string, number>();

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    repository: WindowCountRepository,
    logger: AppLogger,
  ) {
    this.limit = config.auth.authFailuresPerMinute;
    this.failures = new WindowCounterStore(
      {
        scope: 'auth-failures',
        windowMs: AUTH_FAILURE_WINDOW_MS,
        syncMs: config.auth.limitSyncMs,
        maxKeys: MAX_ENTRIES,
      },
      repository,
      clock,
      logger.child({ component: 'auth-failure-limiter' }),
    );
  }

  onModuleInit(): void {
    this.failures.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.failures.stop();
  }

  /** Seconds until `address` may fail again (at least 1), or 0 while it is within its budget. */
  retryAfterSeconds(address: string): number {
    const now = this.clock.nowMs();
    if (this.failures.count(address, now) < this.limit) return 0;
    return Math.max(1, Math.ceil(this.failures.msToWindowEnd(now) / 1000));
  }

  recordFailure(address: string): void {
    this.failures.add(address, this.clock.nowMs());
  }

  /** Shares the failure counts now (the timer does it every RATE_LIMIT_SYNC_MS). */
  sync(): Promise<void> {
    return this.failures.sync();
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
}
