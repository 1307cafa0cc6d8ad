import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import {
  MESSAGE_LINK_MODEL,
  MESSAGE_SEND_MODEL,
  MessageLinkRecord,
  MessageSendRecord,
  SendClaimState,
} from './message-send.schema';

/**
 * Send claims (message_sends, one document per generation) and WhatsApp id links
 * (message_links). Both are decided by unique `_id` inserts, the one race-free primitive
 * FerretDB offers; a claim generation is afterwards written only by its holder.
 */
@Injectable()
export class SendClaimRepository {
  constructor(
    @InjectModel(MESSAGE_SEND_MODEL) private readonly sends: Model<MessageSendRecord>,
    @InjectModel(MESSAGE_LINK_MODEL) private readonly links: Model<MessageLinkRecord>,
  ) {}

  async ready(): Promise<void> {
    await Promise.all([this.sends.init(), this.links.init()]);
  }

  /** Every generation of a message's claim, oldest first. */
  async generations(messageId: string): Promise<MessageSendRecord[]> {
    return this.sends.find({ messageId }).sort({ gen: 1 }).lean<MessageSendRecord[]>();
  }

  /** Inserts a generation; false when another handler inserted it first. */
  async insert(record: MessageSendRecord): Promise<boolean> {
    return insertOnce(this.sends, record);
  }

  /** Moves the holder's own generation on. */
  async setState(
    id: string,
    from: SendClaimState,
    to: SendClaimState,
    fields: Partial<Pick<MessageSendRecord, 'waitingSince' | 'sendingAt' | 'doneAt'>> = {},
  ): Promise<boolean> {
    const res = await this.sends.updateOne({ _id: id, state: from }, { $set: { state: to, ...fields } });
    return res.matchedCount === 1;
  }

  /** Messages whose latest claim on this connection is parked (`waiting`), at most `limit`. */
  async parkedOn(connectionId: string, limit: number): Promise<string[]> {
    const rows = await this.sends
      .find({ connectionId, state: 'waiting' }, { messageId: 1 })
      .limit(limit)
      .lean<Pick<MessageSendRecord, 'messageId'>[]>();
    return [...new Set(rows.map((r) => r.messageId))];
  }

  /** Whether a send to this chat is between the driver call and its recorded outcome (started after `since`). */
  async hasSendInFlight(connectionId: string, chatId: string, since: Date): Promise<boolean> {
    return (
      (await this.sends.exists({ connectionId, chatId, state: 'sending', sendingAt: { $gt: since } })) !==
      null
    );
  }

  /** Links a WhatsApp id to our message; idempotent. */
  async link(record: MessageLinkRecord): Promise<void> {
    await insertOnce(this.links, record);
  }

  async findLink(connectionId: string, waMessageId: string): Promise<MessageLinkRecord | null> {
    return this.links.findOne({ _id: `${connectionId}/${waMessageId}` }).lean<MessageLinkRecord>();
  }

  /** The WhatsApp id our message got, if it was sent on that connection of that account. */
  async waMessageIdOf(scope: AccountScope, connectionId: string, messageId: string): Promise<string | null> {
    const link = await this.links
      .findOne({ messageId, accountId: scope.accountId, connectionId })
      .lean<MessageLinkRecord>();
    return link?.waMessageId ?? null;
  }
}
