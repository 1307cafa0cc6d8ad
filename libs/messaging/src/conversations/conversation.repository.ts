import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, mongo } from 'mongoose';
import { PageCursor, PagePosition } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { CHAT_MESSAGE_MODEL, CHAT_MODEL, ChatMessageRecord, ChatRecord } from './conversation.schema';

/**
 * Chats and chat messages. Written only by the conversations consumer, one chat at a time
 * (whole-document replace: the consumer is the single writer of a chat's documents).
 */
@Injectable()
export class ConversationRepository {
  constructor(
    @InjectModel(CHAT_MODEL) private readonly chats: Model<ChatRecord>,
    @InjectModel(CHAT_MESSAGE_MODEL) private readonly messages: Model<ChatMessageRecord>,
  ) {}

  async ready(): Promise<void> {
    await Promise.all([this.chats.init(), this.messages.init()]);
  }

  async getMessage(id: string): Promise<ChatMessageRecord | null> {
    return this.messages.findOne({ _id: id }).lean<ChatMessageRecord>();
  }

  async saveMessage(record: ChatMessageRecord): Promise<void> {
    await (this.messages.collection as unknown as mongo.Collection<ChatMessageRecord>).replaceOne(
      { _id: record._id },
      record,
      { upsert: true },
    );
  }

  async getChat(id: string): Promise<ChatRecord | null> {
    return this.chats.findOne({ _id: id }).lean<ChatRecord>();
  }

  async saveChat(record: ChatRecord): Promise<void> {
    await (this.chats.collection as unknown as mongo.Collection<ChatRecord>).replaceOne(
      { _id: record._id },
      record,
      {
        upsert: true,
      },
    );
  }

  /** A connection's chats, most recent activity first. */
  async listChats(
    scope: AccountScope,
    connectionId: string,
    page: { limit: number; before?: PagePosition },
  ): Promise<ChatRecord[]> {
    const filter: FilterQuery<ChatRecord> = { accountId: scope.accountId, connectionId };
    if (page.before) filter.$or = PageCursor.after('lastMessageAt', page.before).$or;
    return this.chats
      .find(filter)
      .sort({ lastMessageAt: -1, _id: -1 })
      .limit(page.limit)
      .lean<ChatRecord[]>();
  }

  /** A chat's messages (with content), newest first. */
  async listMessages(
    scope: AccountScope,
    connectionId: string,
    chatId: string,
    page: { limit: number; before?: PagePosition },
  ): Promise<ChatMessageRecord[]> {
    const filter: FilterQuery<ChatMessageRecord> = {
      accountId: scope.accountId,
      connectionId,
      chatId,
      hasContent: true,
    };
    if (page.before) filter.$or = PageCursor.after('timestamp', page.before).$or;
    return this.messages
      .find(filter)
      .sort({ timestamp: -1, _id: -1 })
      .limit(page.limit)
      .lean<ChatMessageRecord[]>();
  }
}
