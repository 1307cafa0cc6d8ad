import { Injectable } from '@nestjs/common';
import { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { MetricsRegistry } from '@wwb/observability';
import { KafkaClient } from '../kafka.client';

export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  error: 'dlq-error',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  group: 'dlq-group',
  attempts: 'dlq-attempts',
} as const;

/** Why a message was dead-lettered. */
export type DeadLetterReason = 'invalid_message' | 'permanent_error' | 'max_attempts';

export interface DeadLetterInfo {
  reason: DeadLetterReason;
  error: string;
  sourceTopic: string;
  sourcePartition: number;
  /** The consumer group that gave up (logical name, without the deployment prefix). */
  group: string;
  attempts: number;
}

/**
 * The dead-letter copy of a consumed message: the original key, value and headers untouched,
 * plus `dlq-*` headers saying where it came from and why it was given up.
 */
export function deadLetterMessage(original: KafkaMessage, info: DeadLetterInfo): Message {
  const headers: IHeaders = { ...(original.headers ?? {}) };
  headers[DLQ_HEADERS.reason] = info.reason;
  headers[DLQ_HEADERS.error] = info.error;
  headers[DLQ_HEADERS.sourceTopic] = info.sourceTopic;
  headers[DLQ_HEADERS.sourcePartition] = String(info.sourcePartition);
  headers[DLQ_HEADERS.sourceOffset] = original.offset;
  headers[DLQ_HEADERS.group] = info.group;
  headers[DLQ_HEADERS.attempts] = String(info.attempts);
  return { key: original.key, value: original.value, headers };
}

/** Writes to the dead-letter topic through the shared idempotent producer. */
@Injectable()
export class DeadLetterProducer {
  constructor(
    private readonly client: KafkaClient,
    private readonly metrics: MetricsRegistry,
  ) {}

  async send(original: KafkaMessage, info: DeadLetterInfo): Promise<void> {
    const topic = this.client.topicName('deadLetter');
    const producer = await this.client.producer();
    await producer.send({ topic, acks: -1, messages: [deadLetterMessage(original, info)] });
    this.metrics.producedTotal.inc({ topic });
  }
}
