import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope } from '@wwb/contracts';
import { ConsumerHandle, ConsumerRunner } from '@wwb/kafka';
import { Clock } from '@wwb/runtime';
import {
  applyChat,
  applyEdited,
  applyMessage,
  applyReaction,
  applyRevoked,
  applyStatus,
  chatKey,
  chatMessageKey,
  EditedEventData,
  MessageEventData,
  Origin,
  ReactionEventData,
  RevokedEventData,
  StatusEventData,
} from './conversation.reducer';
import { ChatMessageRecord } from './conversation.schema';
import { ConversationRepository } from './conversation.repository';

export const CONVERSATIONS_GROUP = 'conversations';

const HANDLED = new Set([
  'message.received',
  'message.sent',
  'message.status',
  'message.revoked',
  'message.edited',
  'message.reaction',
]);

/**
 * Consumer group `conversations`: keeps chats and their messages (in and out, statuses, media
 * metadata, edits, revocations, reactions) in Mongo from the events topic. Events of one chat
 * share a Kafka key, so one member handles them, in order: each document has one writer and is
 * replaced whole. Idempotent: a message's key is its WhatsApp id, statuses only move up, edits,
 * revocations and reactions are set (not appended), so a redelivered event changes nothing.
 */
@Injectable()
export class ConversationsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle?: ConsumerHandle;

  constructor(
    private readonly runner: ConsumerRunner,
    private readonly repository: ConversationRepository,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.ready();
    this.handle = await this.runner.run({
      groupId: CONVERSATIONS_GROUP,
      topic: 'events',
      concurrency: 3,
      handler: (event) => this.onEvent(event),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.stop();
  }

  async onEvent(event: EventEnvelope): Promise<void> {
    if (!HANDLED.has(event.type) || !event.connectionId) return;
    const o: Origin = { accountId: event.accountId, connectionId: event.connectionId, now: this.clock.now() };
    switch (event.type) {
      case 'message.received':
      case 'message.sent': {
        const d = event.data as MessageEventData;
        const m = applyMessage(await this.load(o, d.waMessageId), d, o);
        await this.repository.saveMessage(m);
        await this.touchChat(o, m);
        return;
      }
      case 'message.status': {
        const d = event.data as StatusEventData;
        if (!d.waMessageId) return;
        const m = applyStatus(await this.load(o, d.waMessageId), d, o);
        if (m) await this.repository.saveMessage(m);
        return;
      }
      case 'message.revoked': {
        const d = event.data as RevokedEventData;
        const m = applyRevoked(await this.load(o, d.waMessageId), d, o);
        await this.repository.saveMessage(m);
        if (m.hasContent) await this.touchChat(o, m);
        return;
      }
      case 'message.edited': {
        const d = event.data as EditedEventData;
        const m = applyEdited(await this.load(o, d.waMessageId), d, o);
        if (m) {
          await this.repository.saveMessage(m);
          await this.touchChat(o, m);
        }
        return;
      }
      case 'message.reaction': {
        const d = event.data as ReactionEventData;
        await this.repository.saveMessage(applyReaction(await this.load(o, d.waMessageId), d, o));
        return;
      }
    }
  }

  private load(o: Origin, waMessageId: string): Promise<ChatMessageRecord | null> {
    return this.repository.getMessage(chatMessageKey(o.connectionId, waMessageId));
  }

  private async touchChat(o: Origin, m: ChatMessageRecord): Promise<void> {
    const existing = await this.repository.getChat(chatKey(o.connectionId, m.chatId));
    const next = applyChat(existing, m, o);
    if (next !== existing) await this.repository.saveChat(next);
  }
}
