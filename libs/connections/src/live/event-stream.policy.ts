import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { AppConfig } from '@wwb/config';
import { MetricsRegistry } from '@wwb/observability';
import { DomainError } from '@wwb/runtime';

/** Why the server ended a live event stream (the metric label). */
export type StreamCloseReason = 'slow_client' | 'key_revoked' | 'account_disabled';

export interface StreamBounds {
  /** Bytes a stream may have waiting for the client before it is dropped. */
  maxBufferedBytes: number;
  /** How long a stream may wait for 'drain' after a write that filled its buffer. */
  maxStallMs: number;
  /** How often an open stream verifies its API key again. */
  keyCheckMs: number;
  /** How often back-pressure is looked at between writes. */
  tickMs: number;
}

export const DEFAULT_STREAM_BOUNDS: StreamBounds = {
  maxBufferedBytes: 1024 * 1024,
  maxStallMs: 10_000,
  keyCheckMs: 3_000,
  tickMs: 1_000,
};

/**
 * Limits of live event streams in this API process: at most SSE_MAX_STREAMS_PER_KEY open
 * streams per API key (counted per process, not across processes, because a stream is a socket
 * of this process), and the back-pressure bounds a stream must stay within so that a client that
 * stops reading cannot make the process buffer its events without end.
 */
@Injectable()
export class EventStreamPolicy {
  readonly maxPerKey: number;
  readonly bounds: StreamBounds = DEFAULT_STREAM_BOUNDS;
  private readonly openByKey = new Map<string, number>();
  private readonly closed: Counter<'reason'>;

  constructor(config: AppConfig, metrics: MetricsRegistry) {
    this.maxPerKey = config.auth.sseMaxStreamsPerKey;
    const openByKey = this.openByKey;
    new Gauge({
      name: 'wwb_sse_streams_open',
      help: 'Live event streams open on this API process',
      registers: [metrics.registry],
      collect() {
        let n = 0;
        for (const count of openByKey.values()) n += count;
        this.set(n);
      },
    });
    this.closed = new Counter({
      name: 'wwb_sse_streams_closed_total',
      help: 'Live event streams ended by the server: slow_client (not reading), key_revoked, account_disabled',
      labelNames: ['reason'],
      registers: [metrics.registry],
    });
  }

  /**
   * Takes a stream slot of the key, or throws 429 too_many_streams. The returned release may be
   * called more than once.
   */
  acquire(apiKeyId: string): () => void {
    const open = this.openByKey.get(apiKeyId) ?? 0;
    if (open >= this.maxPerKey) {
      throw new DomainError(
        'limit_reached',
        'too_many_streams',
        `This API key already has ${open} live event streams open (at most ${this.maxPerKey}); close one first`,
      );
    }
    this.openByKey.set(apiKeyId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.openByKey.get(apiKeyId) ?? 1) - 1;
      if (left > 0) this.openByKey.set(apiKeyId, left);
      else this.openByKey.delete(apiKeyId);
    };
  }

  openFor(apiKeyId: string): number {
    return this.openByKey.get(apiKeyId) ?? 0;
  }

  /**
   * Whether a stream with `bufferedBytes` waiting, stalled (write returned false, no 'drain'
   * since) from `stalledSinceMs`, must be dropped at `nowMs`.
   */
  mustDrop(bufferedBytes: number, stalledSinceMs: number | null, nowMs: number): boolean {
    if (bufferedBytes > this.bounds.maxBufferedBytes) return true;
    return stalledSinceMs !== null && nowMs - stalledSinceMs >= this.bounds.maxStallMs;
  }

  recordClosed(reason: StreamCloseReason): void {
    this.closed.inc({ reason });
  }
}
