import { Injectable } from '@nestjs/common';
import { GATEWAY_COMMANDS, SendMessageCommandData } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import type { OutboundMessageRecord } from './outbound-message.schema';

/**
 * Publishes `gateway.message.send` for a stored message on the commands topic (keyed and
 * partitioned by connection, so the owning gateway sends a connection's messages in order).
 * Each publish is a new envelope; the gateway deduplicates on our message id, so publishing the
 * same message again (the sweeper) never sends it twice.
 */
@Injectable()
export class MessageCommandProducer {
  constructor(
    private readonly events: EventFactory,
    private readonly publisher: EventPublisher,
  ) {}

  async publishSend(message: OutboundMessageRecord): Promise<void> {
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
    await this.publisher.publish(command, { topic: 'commands' });
  }
}
