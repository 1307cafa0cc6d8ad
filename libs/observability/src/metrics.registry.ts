import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per process; modules register their metrics here. */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'wwb_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: 'wwb_kafka_consumer_lag',
    help: 'Messages between the last handled offset and the high watermark',
    labelNames: ['group', 'topic', 'partition'],
    registers: [this.registry],
  });

  readonly consumedTotal = new Counter({
    name: 'wwb_kafka_consumed_total',
    help: 'Messages handled by consumer runners',
    labelNames: ['group', 'topic', 'outcome'],
    registers: [this.registry],
  });

  readonly producedTotal = new Counter({
    name: 'wwb_kafka_produced_total',
    help: 'Messages produced',
    labelNames: ['topic'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'wwb_' });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
