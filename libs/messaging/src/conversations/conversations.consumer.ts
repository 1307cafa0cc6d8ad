import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope, isEventOf } from '@wwb/contracts';
import { ConsumerHandle, ConsumerRunner } from '@wwb/kafka';
import { scopeOf } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { SendClaimRepository } from '../gateway';
import { MessageOrigin, OutboundMessageRepository } from '../outbound';
import {
  applyChat,
  applyEdited,
  applyMessage,
  applyReaction,
  applyRevoked,
  applyStatus,
  chatKey,
  chatMessageKey,
  MessageEventData,
  Origin,
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
 * An outgoing message sent through us gets the `source` (and rule or bot) of its send: from
 * message.sent when it carries an origin, else from the stored send it is linked to (the link
 * exists once the gateway recorded the send; its correlation message.status brings our id).
 */
@Injectable()
export class ConversationsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle?: ConsumerHandle;

  constructor(
    private readonly runner: ConsumerRunner,
    private readonly repository: ConversationRepository,
    private readonly claims: SendClaimRepository,
    private readonly outbound: OutboundMessageRepository,
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
    if (isEventOf(event, 'message.received') || isEventOf(event, 'message.sent')) {
      const d: MessageEventData = event.data;
      const existing = await this.load(o, d.waMessageId);
      const origin =
        d.origin ?? (d.fromMe && !existing?.source ? await this.originOfLinked(o, d.waMessageId) : undefined);
      const m = applyMessage(existing, d, o, origin);
      await this.repository.saveMessage(m);
      await this.touchChat(o, m);
    } else if (isEventOf(event, 'message.status')) {
      const d = event.data;
      if (!d.waMessageId) return;
      const existing = await this.load(o, d.waMessageId);
      const origin = d.messageId && !existing?.source ? await this.originOf(o, d.messageId) : undefined;
      const m = applyStatus(existing, d, o, origin);
      if (m) await this.repository.saveMessage(m);
    } else if (isEventOf(event, 'message.revoked')) {
      const m = applyRevoked(await this.load(o, event.data.waMessageId), event.data, o);
      await this.repository.saveMessage(m);
      if (m.hasContent) await this.touchChat(o, m);
    } else if (isEventOf(event, 'message.edited')) {
      const m = applyEdited(await this.load(o, event.data.waMessageId), event.data, o);
      if (m) {
        await this.repository.saveMessage(m);
        await this.touchChat(o, m);
      }
    } else if (isEventOf(event, 'message.reaction')) {
      await this.repository.saveMessage(
        applyReaction(await this.load(o, event.data.waMessageId), event.data, o),
      );
    }
  }

  /** The origin of one of our sends (older sends have none: they came from the API). */
  private async originOf(o: Origin, messageId: string): Promise<MessageOrigin | undefined> {
    const message = await this.outbound.find(scopeOf(o.accountId), o.connectionId, messageId);
    return message ? (message.origin ?? { source: 'api' }) : undefined;
  }

  private async originOfLinked(o: Origin, waMessageId: string): Promise<MessageOrigin | undefined> {
    const link = await this.claims.findLink(o.connectionId, waMessageId);
    return link && link.accountId === o.accountId ? this.originOf(o, link.messageId) : undefined;
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
