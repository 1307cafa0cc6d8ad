import { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { ConsumerContext } from './consumer.types';
import { headersToStrings } from '../event-message.mapper';

/** The handler's context; headers are converted only when a handler reads them (hot path). */
export class MessageContext implements ConsumerContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  private headerStrings?: Record<string, string>;

  constructor(
    readonly groupId: string,
    private readonly payload: EachBatchPayload,
    private readonly message: KafkaMessage,
    readonly attempt: number,
    readonly correlationId: string | undefined,
    readonly signal: AbortSignal,
  ) {
    this.topic = payload.batch.topic;
    this.partition = payload.batch.partition;
    this.offset = message.offset;
  }

  get headers(): Record<string, string> {
    return (this.headerStrings ??= headersToStrings(this.message.headers));
  }

  heartbeat(): Promise<void> {
    return this.payload.heartbeat();
  }
}
