import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@wwb/contracts';
import { MetricsRegistry } from '@wwb/observability';
import { RequestContext } from '@wwb/runtime';
import { commandPartition } from './command-partition';
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
   *
   * On the commands topic every envelope must name its connection: the message is keyed by the
   * connection and written to the partition `commandPartition()` gives, which the gateway node
   * owning that connection consumes (whatever the chat).
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
      messages: list.map((e) => {
        const message = toKafkaMessage(e, contextCorrelationId);
        if (opts.topic !== 'commands') return message;
        if (!e.connectionId) throw new Error(`command ${e.type} (${e.id}) has no connectionId`);
        return {
          ...message,
          key: e.connectionId,
          partition: commandPartition(e.connectionId, this.client.commandPartitions),
        };
      }),
    });
    this.metrics.producedTotal.inc({ topic }, list.length);
  }
}
