import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { AccountScope } from '@wwb/persistence';
import { PendingEvent } from './automation-turn.model';

export interface EventChat {
  connectionId: string;
  chatId: string;
  /** The event that caused these (its correlation id is carried on). */
  cause: { correlationId?: string };
}

/**
 * Publishes the automation events of one turn in one produce call, keyed by the chat (so they
 * stay in order with the chat's messages). A failed publish fails the turn: the inbound event is
 * handled again, and every effect of a turn is idempotent, so only events can repeat.
 */
@Injectable()
export class AutomationEventsProducer {
  constructor(
    private readonly factory: EventFactory,
    private readonly publisher: EventPublisher,
  ) {}

  async publish(scope: AccountScope, chat: EventChat, events: readonly PendingEvent[]): Promise<void> {
    if (!events.length) return;
    const envelopes: EventEnvelope[] = events.map((e) =>
      this.factory.create({
        type: e.type,
        accountId: scope.accountId,
        connectionId: chat.connectionId,
        chatId: chat.chatId,
        correlationId: chat.cause.correlationId,
        data: e.data,
      }),
    );
    await this.publisher.publish(envelopes);
  }
}
