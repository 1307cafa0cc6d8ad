import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { CHAT_STATE_MODEL, ChatStateRecord } from './chat-state.schema';

export interface ChatRef {
  connectionId: string;
  chatId: string;
}

export const chatStateId = (scope: AccountScope, chat: ChatRef): string =>
  `${scope.accountId}/${chat.connectionId}/${chat.chatId}`;

/**
 * The automation state of chats. Written only by the `automation` consumer member that owns the
 * chat's partition, one event at a time: a read, then a whole-document replace.
 */
@Injectable()
export class ChatStateStore {
  constructor(@InjectModel(CHAT_STATE_MODEL) private readonly model: Model<ChatStateRecord>) {}

  async ready(): Promise<void> {
    await this.model.init();
  }

  async get(scope: AccountScope, chat: ChatRef): Promise<ChatStateRecord | null> {
    return this.model
      .findOne({ _id: chatStateId(scope, chat), accountId: scope.accountId })
      .lean<ChatStateRecord>();
  }

  async save(record: ChatStateRecord): Promise<void> {
    await (this.model.collection as unknown as mongo.Collection<ChatStateRecord>).replaceOne(
      { _id: record._id },
      record,
      { upsert: true },
    );
  }
}
