import { Injectable } from '@nestjs/common';
import { EventEnvelope, GATEWAY_COMMANDS, SendMessageCommandData } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import type { OutboundMessageRecord } from './outbound-message.schema';

const MAX_BATCH = 500;

interface Pending {
  command: EventEnvelope;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Publishes `gateway.message.send` for a stored message on the commands topic (keyed and
 * partitioned by connection, so the owning gateway sends a connection's messages in order).
 * Each publish is a new envelope; the gateway deduplicates on our message id, so publishing the
 * same message again (the sweeper) never sends it twice.
 *
 * Concurrent publishes are coalesced: while one produce request is in flight, the commands that
 * arrive wait and then leave together in the next one. The idempotent producer has one request
 * in flight per broker, so one request per HTTP request would cap the accept rate at one per
 * produce round trip; coalescing keeps the order of arrival and lets the rate scale.
 */
@Injectable()
export class MessageCommandProducer {
  private queue: Pending[] = [];
  private draining?: Promise<void>;

  constructor(
    private readonly events: EventFactory,
    private readonly publisher: EventPublisher,
  ) {}

  /** Resolves once Kafka has the command (acks=all); rejects if the produce failed. */
  publishSend(message: OutboundMessageRecord): Promise<void> {
    const data: SendMessageCommandData = {
      messageId: message._id,
      chatId: message.chatId,
      // QueuedContent is the driver's OutgoingMessage with media as a MediaRef (an interface,
      // hence not assignable to the command's index-signature type without this widening).
      message: message.content as unknown as SendMessageCommandData['message'],
    };
    const command = this.events.create({
      type: GATEWAY_COMMANDS.messageSend,
      accountId: message.accountId,
      connectionId: message.connectionId,
      chatId: message.chatId,
      data,
    });
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.publisher.publish(
            batch.map((p) => p.command),
            { topic: 'commands' },
          );
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }
}
