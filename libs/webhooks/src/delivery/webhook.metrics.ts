import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@wwb/observability';

const WINDOW = 1000;

/** Ring of an endpoint's last WINDOW attempts (results) and first-attempt delays. */
class EndpointWindow {
  readonly results: boolean[] = [];
  private nextResult = 0;
  ok = 0;
  readonly delays: number[] = [];
  private nextDelay = 0;

  constructor(
    readonly ok$: Counter.Internal,
    readonly failed$: Counter.Internal,
    readonly firstDelay$: Histogram.Internal<'endpoint'>,
    readonly deliveredDelay$: Histogram.Internal<'endpoint'>,
    readonly inFlight$: Gauge.Internal<'endpoint'>,
  ) {}

  result(ok: boolean): void {
    if (this.results.length < WINDOW) this.results.push(ok);
    else {
      if (this.results[this.nextResult]) this.ok--;
      this.results[this.nextResult] = ok;
      this.nextResult = (this.nextResult + 1) % WINDOW;
    }
    if (ok) this.ok++;
  }

  delay(seconds: number): void {
    if (this.delays.length < WINDOW) this.delays.push(seconds);
    else {
      this.delays[this.nextDelay] = seconds;
      this.nextDelay = (this.nextDelay + 1) % WINDOW;
    }
  }
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/**
 * Prometheus metrics of webhook delivery, per endpoint (label `endpoint`):
 * - wwb_webhook_attempts_total{endpoint,result}: attempts by result (success, failure);
 * - wwb_webhook_success_ratio{endpoint}: successful share of this process' last 1,000 attempts;
 * - wwb_webhook_first_attempt_delay_seconds{endpoint}: event to first attempt (histogram), and
 *   wwb_webhook_first_attempt_delay_quantiles_seconds{quantile,endpoint}: its p50 and p99 over
 *   this process' last 1,000 first attempts;
 * - wwb_webhook_delivered_delay_seconds{endpoint}: event to successful delivery (histogram);
 * - wwb_webhook_in_flight{endpoint}, wwb_webhook_pending (deliveries held by this process),
 *   wwb_webhook_spilled_total (deliveries left in the store by a full lane, read back later).
 *
 * The hot path (one call per attempt) touches cached label children and two rings; ratios and
 * quantiles are computed when Prometheus scrapes.
 */
@Injectable()
export class WebhookMetrics {
  readonly attempts: Counter<'endpoint' | 'result'>;
  readonly successRatio: Gauge<'endpoint'>;
  readonly firstAttemptDelay: Histogram<'endpoint'>;
  readonly firstAttemptQuantiles: Gauge<'quantile' | 'endpoint'>;
  readonly deliveredDelay: Histogram<'endpoint'>;
  readonly inFlight: Gauge<'endpoint'>;
  readonly pending: Gauge;
  readonly spilled: Counter;
  private readonly windows = new Map<string, EndpointWindow>();

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600];
    const windows = this.windows;
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
      collect() {
        for (const [endpoint, w] of windows)
          if (w.results.length) this.set({ endpoint }, w.ok / w.results.length);
      },
    });
    this.firstAttemptDelay = new Histogram({
      name: 'wwb_webhook_first_attempt_delay_seconds',
      help: 'Time from an event to the first delivery attempt',
      labelNames: ['endpoint'],
      buckets,
      registers,
    });
    this.firstAttemptQuantiles = new Gauge({
      name: 'wwb_webhook_first_attempt_delay_quantiles_seconds',
      help: "Time from an event to the first delivery attempt: p50 and p99 of this process' last 1000 first attempts",
      labelNames: ['quantile', 'endpoint'],
      registers,
      collect() {
        for (const [endpoint, w] of windows) {
          if (!w.delays.length) continue;
          const sorted = [...w.delays].sort((a, b) => a - b);
          this.set({ quantile: '0.5', endpoint }, quantile(sorted, 0.5));
          this.set({ quantile: '0.99', endpoint }, quantile(sorted, 0.99));
        }
      },
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
    this.spilled = new Counter({
      name: 'wwb_webhook_spilled_total',
      help: 'Deliveries left in MongoDB because their endpoint held WEBHOOK_MAX_HELD_PER_ENDPOINT in memory (read back later)',
      registers,
    });
  }

  private window(endpoint: string): EndpointWindow {
    let w = this.windows.get(endpoint);
    if (!w) {
      w = new EndpointWindow(
        this.attempts.labels({ endpoint, result: 'success' }),
        this.attempts.labels({ endpoint, result: 'failure' }),
        this.firstAttemptDelay.labels({ endpoint }),
        this.deliveredDelay.labels({ endpoint }),
        this.inFlight.labels({ endpoint }),
      );
      this.windows.set(endpoint, w);
    }
    return w;
  }

  sendStarted(endpoint: string): void {
    this.window(endpoint).inFlight$.inc();
  }

  sendEnded(endpoint: string): void {
    this.window(endpoint).inFlight$.dec();
  }

  attempt(
    endpoint: string,
    ok: boolean,
    firstDelayMs: number | undefined,
    deliveredDelayMs: number | undefined,
  ): void {
    const w = this.window(endpoint);
    (ok ? w.ok$ : w.failed$).inc();
    if (firstDelayMs !== undefined) {
      w.firstDelay$.observe(firstDelayMs / 1000);
      w.delay(firstDelayMs / 1000);
    }
    if (deliveredDelayMs !== undefined) w.deliveredDelay$.observe(deliveredDelayMs / 1000);
    w.result(ok);
  }

  forget(endpoint: string): void {
    this.windows.delete(endpoint);
    for (const m of [this.successRatio, this.inFlight]) m.remove({ endpoint });
    for (const q of ['0.5', '0.99']) this.firstAttemptQuantiles.remove({ quantile: q, endpoint });
  }
}
