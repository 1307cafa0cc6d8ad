import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { isDuplicateKeyError } from '@wwb/persistence';
import {
  MESSAGE_LINK_MODEL,
  MESSAGE_SEND_MODEL,
  MessageLinkRecord,
  MessageSendRecord,
} from './message-send.schema';

export type ClaimResult =
  { claimed: true; claimId: string } | { claimed: false; existing: MessageSendRecord };

/**
 * Send claims (message_sends) and WhatsApp id links (message_links). Both are decided by unique
 * `_id` inserts, the one race-free primitive FerretDB offers; a claim document is afterwards
 * written only by its holder (filter on claimId).
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

  private get sendCollection(): mongo.Collection<MessageSendRecord> {
    return this.sends.collection as unknown as mongo.Collection<MessageSendRecord>;
  }

  async claim(
    record: Omit<MessageSendRecord, 'state' | 'claimId'> & { claimId: string },
  ): Promise<ClaimResult> {
    try {
      await this.sendCollection.insertOne({ ...record, state: 'claimed' });
      return { claimed: true, claimId: record.claimId };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    const existing = await this.sends.findOne({ _id: record._id }).lean<MessageSendRecord>();
    if (!existing) return this.claim(record); // released meanwhile
    return { claimed: false, existing };
  }

  /** Removes a stale claim (by its claim id), so that a new unique insert can take it. */
  async removeStale(id: string, claimId: string): Promise<void> {
    await this.sends.deleteOne({ _id: id, claimId });
  }

  /** Gives a claim back (nothing was sent). */
  async release(id: string, claimId: string): Promise<void> {
    await this.sends.deleteOne({ _id: id, claimId, state: 'claimed' });
  }

  /** The connection is not ready yet: the claim waits for the next delivery of the command. */
  async park(id: string, claimId: string, waitingSince: Date): Promise<void> {
    await this.sends.updateOne(
      { _id: id, claimId, state: 'claimed' },
      { $set: { state: 'waiting', waitingSince } },
    );
  }

  /** The driver is about to be called; false when the claim is no longer ours. */
  async markSending(id: string, claimId: string, at: Date): Promise<boolean> {
    const res = await this.sends.updateOne(
      { _id: id, claimId, state: 'claimed' },
      { $set: { state: 'sending', sendingAt: at } },
    );
    return res.matchedCount === 1;
  }

  async markDone(id: string, claimId: string, at: Date): Promise<void> {
    await this.sends.updateOne({ _id: id, claimId }, { $set: { state: 'done', doneAt: at } });
  }

  /** Finalizes a claim whatever its holder (after recording the outcome of an interrupted send). */
  async forceDone(id: string, at: Date): Promise<void> {
    await this.sends.updateOne({ _id: id }, { $set: { state: 'done', doneAt: at } });
  }

  /** Whether a send to this chat is between the driver call and its recorded outcome. */
  async hasSendInFlight(connectionId: string, chatId: string): Promise<boolean> {
    return (await this.sends.exists({ connectionId, chatId, state: 'sending' })) !== null;
  }

  /** Links a WhatsApp id to our message; idempotent. */
  async link(record: MessageLinkRecord): Promise<void> {
    try {
      await (this.links.collection as unknown as mongo.Collection<MessageLinkRecord>).insertOne(record);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  async findLink(connectionId: string, waMessageId: string): Promise<MessageLinkRecord | null> {
    return this.links.findOne({ _id: `${connectionId}/${waMessageId}` }).lean<MessageLinkRecord>();
  }

  async linkOf(messageId: string): Promise<MessageLinkRecord | null> {
    return this.links.findOne({ messageId }).lean<MessageLinkRecord>();
  }
}
