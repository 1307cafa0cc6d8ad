import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Summary } from 'prom-client';
import { MetricsRegistry } from '@wwb/observability';

const WINDOW = 1000;

/**
 * Prometheus metrics of webhook delivery, per endpoint (label `endpoint`):
 * - wwb_webhook_attempts_total{endpoint,result}: attempts by result (success, failure);
 * - wwb_webhook_success_ratio{endpoint}: successful share of this process' last 1,000 attempts;
 * - wwb_webhook_first_attempt_delay_seconds{endpoint}: event to first attempt (histogram, and a
 *   summary with the 0.5 and 0.99 quantiles over the last 10 minutes);
 * - wwb_webhook_delivered_delay_seconds{endpoint}: event to successful delivery (histogram);
 * - wwb_webhook_in_flight{endpoint}, wwb_webhook_pending (deliveries held by this process).
 */
@Injectable()
export class WebhookMetrics {
  readonly attempts: Counter<'endpoint' | 'result'>;
  readonly successRatio: Gauge<'endpoint'>;
  readonly firstAttemptDelay: Histogram<'endpoint'>;
  readonly firstAttemptQuantiles: Summary<'endpoint'>;
  readonly deliveredDelay: Histogram<'endpoint'>;
  readonly inFlight: Gauge<'endpoint'>;
  readonly pending: Gauge;
  private readonly recent = new Map<string, { results: boolean[]; next: number; ok: number }>();

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600];
    this.attempts = new Counter({
      name: 'wwb_webhook_attempts_total',
      help: 'Webhook delivery attempts by endpoint and result',
      labelNames: ['endpoint', 'result'],
      registers,
    });
    this.successRatio = new Gauge({
      name: 'wwb_webhook_success_ratio',
      help: "Successful share of this process' last 1000 attempts per endpoint",
      labelNames: ['endpoint'],
      registers,
    });
    this.firstAttemptDelay = new Histogram({
      name: 'wwb_webhook_first_attempt_delay_seconds',
      help: 'Time from an event to the first delivery attempt',
      labelNames: ['endpoint'],
      buckets,
      registers,
    });
    this.firstAttemptQuantiles = new Summary({
      name: 'wwb_webhook_first_attempt_delay_quantiles_seconds',
      help: 'Time from an event to the first delivery attempt: p50 and p99 over 10 minutes (this process)',
      labelNames: ['endpoint'],
      percentiles: [0.5, 0.99],
      maxAgeSeconds: 600,
      ageBuckets: 5,
      registers,
    });
    this.deliveredDelay = new Histogram({
      name: 'wwb_webhook_delivered_delay_seconds',
      help: 'Time from an event to its successful delivery',
      labelNames: ['endpoint'],
      buckets,
      registers,
    });
    this.inFlight = new Gauge({
      name: 'wwb_webhook_in_flight',
      help: 'Delivery requests in flight per endpoint',
      labelNames: ['endpoint'],
      registers,
    });
    this.pending = new Gauge({
      name: 'wwb_webhook_pending',
      help: 'Deliveries this worker holds (queued or waiting for a retry)',
      registers,
    });
  }

  attempt(
    endpoint: string,
    ok: boolean,
    firstDelayMs: number | undefined,
    deliveredDelayMs: number | undefined,
  ): void {
    this.attempts.inc({ endpoint, result: ok ? 'success' : 'failure' });
    if (firstDelayMs !== undefined) {
      this.firstAttemptDelay.observe({ endpoint }, firstDelayMs / 1000);
      this.firstAttemptQuantiles.observe({ endpoint }, firstDelayMs / 1000);
    }
    if (deliveredDelayMs !== undefined) this.deliveredDelay.observe({ endpoint }, deliveredDelayMs / 1000);
    let r = this.recent.get(endpoint);
    if (!r) {
      r = { results: [], next: 0, ok: 0 };
      this.recent.set(endpoint, r);
    }
    if (r.results.length < WINDOW) r.results.push(ok);
    else {
      if (r.results[r.next]) r.ok--;
      r.results[r.next] = ok;
      r.next = (r.next + 1) % WINDOW;
    }
    if (ok) r.ok++;
    this.successRatio.set({ endpoint }, r.ok / r.results.length);
  }

  forget(endpoint: string): void {
    this.recent.delete(endpoint);
    for (const m of [this.successRatio, this.inFlight]) m.remove({ endpoint });
  }
}
