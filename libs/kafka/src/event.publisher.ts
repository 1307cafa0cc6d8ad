// CONTRACT STUB (owned by the Kafka backbone work): keep this public signature.
import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@wwb/contracts';

export type TopicName = 'events' | 'commands';

/** Publishes envelopes to Kafka; resolves once the broker acknowledged them (acks=all). */
@Injectable()
export class EventPublisher {
  /** Key = chatId ?? connectionId ?? accountId (ordering unit). Headers carry the correlation id. */
  publish(_events: EventEnvelope | EventEnvelope[], _opts: { topic?: TopicName } = {}): Promise<void> {
    throw new Error('not implemented');
  }
}
