import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '@wwb/runtime';
import type { WindowCountRepository } from './window-count.repository';
import type { KeyCount } from './window-count.schema';

export interface WindowCounterOptions {
  /** What is counted (e.g. `rate`); stores of one scope add up across processes. */
  scope: string;
  /** Length of the fixed windows, aligned to the epoch so that every process agrees on them. */
  windowMs: number;
  /** How often counts are shared (ms); 0 = never: this process counts alone. */
  syncMs: number;
  /** Most keys this process counts per window; one more evicts the oldest (a flood of keys). */
  maxKeys?: number;
}

const DEFAULT_MAX_KEYS = 10_000;

/**
 * Per-key counts in fixed windows, shared by every process of a scope without a database round
 * trip on the caller's path: `count()` and `add()` are in memory; every `syncMs` the store writes
 * what this process counted in the current window (its own document, see WindowCountRecord) and
 * reads back the other processes' documents.
 *
 * `count(key)` = this process's exact count + the others' as of the last sync. It never exceeds
 * the true count, and lags it by what the other processes counted since they last wrote and
 * this one last read: at most about two sync intervals (plus a round trip) of their traffic.
 * A caller refusing at `count >= limit` therefore lets through at most, per window,
 * `limit + processes x (what one process admits in ~2 x syncMs)`.
 *
 * A process only syncs a window it counted something in (an idle process costs nothing). When
 * the database fails, the store keeps counting locally (per-process limits, never a failed
 * request), logs once, and logs again once it is back.
 */
export class WindowCounterStore {
  /** This process's identity in the shared documents. */
  readonly node = randomUUID();
  private readonly maxKeys: number;
  private windowStart = Number.NEGATIVE_INFINITY;
  private own = new Map<string, number>();
  private others = new Map<string, number>();
  private dirty = false;
  private sweptWindow = Number.NEGATIVE_INFINITY;
  private degraded = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly options: WindowCounterOptions,
    private readonly repository: Pick<WindowCountRepository, 'write' | 'read' | 'purgeBefore'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  }

  get windowMs(): number {
    return this.options.windowMs;
  }

  /** The count of `key` in the window holding `nowMs`, over every process as far as known. */
  count(key: string, nowMs: number): number {
    this.roll(nowMs);
    return (this.own.get(key) ?? 0) + (this.others.get(key) ?? 0);
  }

  add(key: string, nowMs: number, n = 1): void {
    this.roll(nowMs);
    const current = this.own.get(key);
    if (current === undefined && this.own.size >= this.maxKeys) {
      const oldest = this.own.keys().next();
      if (!oldest.done) this.own.delete(oldest.value);
    }
    this.own.set(key, (current ?? 0) + n);
    this.dirty = true;
  }

  /** Milliseconds from `nowMs` to the end of its window (at least 1). */
  msToWindowEnd(nowMs: number): number {
    const { windowMs } = this.options;
    return Math.max(1, Math.floor(nowMs / windowMs) * windowMs + windowMs - nowMs);
  }

  /** Keys this process counted in the current window (bounded by `maxKeys`). */
  get ownKeys(): number {
    return this.own.size;
  }

  /** Starts sharing every `syncMs` (call it from onModuleInit); no-op when `syncMs` is 0. */
  start(): void {
    if (this.options.syncMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      // Never two syncs at once: a slow database delays the next one instead.
      if (!this.running) this.running = this.sync().finally(() => (this.running = undefined));
    }, this.options.syncMs);
    this.timer.unref();
  }

  /** Stops sharing and waits for a sync in flight (call it from onModuleDestroy). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Publishes this process's counts of the current window (when they changed) and reads the
   * other processes'. Never throws: a failure leaves the local counts in charge.
   */
  async sync(): Promise<void> {
    this.roll(this.clock.nowMs());
    const windowStart = this.windowStart;
    if (this.own.size === 0) return;
    const { scope } = this.options;
    try {
      // Writing this process's counts and reading the others' are independent: one round trip.
      const [, published] = await Promise.all([
        this.publish(windowStart),
        this.repository.read(scope, windowStart),
      ]);
      // The window may have ended during the round trip: its counts are of no use any more.
      if (windowStart === this.windowStart) {
        const others = new Map<string, number>();
        for (const doc of published) {
          if (doc.node === this.node) continue;
          for (const [key, n] of doc.counts) others.set(key, (others.get(key) ?? 0) + n);
        }
        this.others = others;
      }
      if (this.sweptWindow < windowStart) {
        this.sweptWindow = windowStart;
        // The previous window stays for processes whose clock is a little behind.
        await this.repository.purgeBefore(scope, windowStart - this.options.windowMs);
      }
      if (this.degraded) {
        this.degraded = false;
        this.logger.info({ scope }, 'shared limit counts are back: limits apply across processes again');
      }
    } catch (err) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(
          { err, scope },
          'cannot share limit counts through MongoDB: each process limits on its own until it is back',
        );
      }
    }
  }

  private async publish(windowStart: number): Promise<void> {
    if (!this.dirty) return;
    const snapshot: KeyCount[] = [...this.own];
    this.dirty = false;
    try {
      await this.repository.write(this.options.scope, windowStart, this.node, snapshot);
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  private roll(nowMs: number): void {
    const start = Math.floor(nowMs / this.options.windowMs) * this.options.windowMs;
    // A clock going backwards stays in the current window.
    if (start <= this.windowStart) return;
    this.windowStart = start;
    this.own = new Map();
    this.others = new Map();
    this.dirty = false;
  }
}
