import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@wwb/contracts';
import { MetricsRegistry } from '@wwb/observability';
import { RequestContext } from '@wwb/runtime';
import { toKafkaMessage } from './event-message.mapper';
import { KafkaClient, TopicName } from './kafka.client';

export type { TopicName } from './kafka.client';

/** Publishes envelopes to Kafka; resolves once the broker acknowledged them (acks=all). */
@Injectable()
export class EventPublisher {
  constructor(
    private readonly client: KafkaClient,
    private readonly metrics: MetricsRegistry,
  ) {}

  /**
   * Key = chatId ?? connectionId ?? accountId (ordering unit). Headers carry the event id, the
   * event type and the correlation id (from the envelope, else from the current request).
   * Several envelopes go out in one produce call; the idempotent producer writes each exactly
   * once even when the call is retried internally. If the promise rejects, some of the events
   * may have been written: publishing again is safe for consumers (they dedupe on the event id).
   */
  async publish(events: EventEnvelope | EventEnvelope[], opts: { topic?: TopicName } = {}): Promise<void> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return;
    const topic = this.client.topicName(opts.topic ?? 'events');
    const contextCorrelationId = RequestContext.current().correlationId;
    const producer = await this.client.producer();
    await producer.send({
      topic,
      acks: -1,
      messages: list.map((e) => toKafkaMessage(e, contextCorrelationId)),
    });
    this.metrics.producedTotal.inc({ topic }, list.length);
  }
}
