import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { CHAT_STATE_MODEL, ChatStateRecord } from './chat-state.schema';

export interface ChatRef {
  connectionId: string;
  chatId: string;
}

export const chatStateId = (scope: AccountScope, chat: ChatRef): string =>
  `${scope.accountId}/${chat.connectionId}/${chat.chatId}`;

/**
 * The automation state of chats. Written only by the `automation` consumer member that owns the
 * chat's partition, one event at a time: a read, then a whole-document replace. Both go by `_id`
 * alone (it embeds the account): the one filter FerretDB 1.24 hands to its storage, any other
 * shape scans the collection. The account is checked on the document read instead.
 */
@Injectable()
export class ChatStateStore {
  constructor(@InjectModel(CHAT_STATE_MODEL) private readonly model: Model<ChatStateRecord>) {}

  async ready(): Promise<void> {
    await this.model.init();
  }

  async get(scope: AccountScope, chat: ChatRef): Promise<ChatStateRecord | null> {
    const doc = await this.model.findOne({ _id: chatStateId(scope, chat) }).lean<ChatStateRecord>();
    return doc && doc.accountId === scope.accountId ? doc : null;
  }

  /** `created`: the chat had no state when the event was read (an insert, cheaper than an upsert). */
  async save(record: ChatStateRecord, created = false): Promise<void> {
    const collection = this.model.collection as unknown as mongo.Collection<ChatStateRecord>;
    if (created) {
      try {
        await collection.insertOne(record);
        return;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    await collection.replaceOne({ _id: record._id }, record, { upsert: true });
  }
}
