import { Injectable } from '@nestjs/common';
import type { MessageStatusData } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';

export const MESSAGE_STATUS_EVENT = 'message.status';

/**
 * Publishes the correlation `message.status` of a message sent through the API: `sent` with both
 * `messageId` (ours) and `waMessageId`, or `failed` with `messageId` and the reason code. The
 * bridge's own acks (waMessageId only) follow as further message.status events.
 */
@Injectable()
export class MessageStatusProducer {
  constructor(
    private readonly events: EventFactory,
    private readonly publisher: EventPublisher,
  ) {}

  async publish(
    target: { accountId: string; connectionId: string },
    chatId: string,
    s: { messageId: string; waMessageId?: string; status: 'sent' | 'failed'; reason?: string; at: Date },
  ): Promise<void> {
    const data: MessageStatusData = {
      messageId: s.messageId,
      ...(s.waMessageId ? { waMessageId: s.waMessageId } : {}),
      chatId,
      status: s.status,
      ...(s.reason ? { reason: s.reason } : {}),
      timestamp: s.at.toISOString(),
    };
    const event = this.events.create({
      type: MESSAGE_STATUS_EVENT,
      accountId: target.accountId,
      connectionId: target.connectionId,
      chatId,
      data,
    });
    await this.publisher.publish(event);
  }
}
