import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { ConnectionStateDoc, ConnectionStateRecord, stateId } from './connection-state.schema';

const MAX_CLAIM_ATTEMPTS = 8;

/**
 * The `connection_states` collection (see ConnectionStateDoc): one document per ownership epoch,
 * each written by one gateway only. Reads take the highest epoch.
 */
@Injectable()
export class ConnectionStateRepository {
  constructor(@InjectModel(ConnectionStateDoc.name) private readonly model: Model<ConnectionStateDoc>) {}

  /** The current state of one connection (highest epoch), if a gateway ever ran it. */
  latest(scope: AccountScope, connectionId: string): Promise<ConnectionStateRecord | null> {
    return this.model
      .findOne({ connectionId, accountId: scope.accountId })
      .sort({ epoch: -1 })
      .lean<ConnectionStateRecord>()
      .exec();
  }

  /** The current state of several connections of one account. */
  async latestOf(
    scope: AccountScope,
    connectionIds: readonly string[],
  ): Promise<Map<string, ConnectionStateRecord>> {
    const out = new Map<string, ConnectionStateRecord>();
    if (connectionIds.length === 0) return out;
    const rows = await this.model
      .find({ accountId: scope.accountId, connectionId: { $in: [...connectionIds] } })
      .lean<ConnectionStateRecord[]>()
      .exec();
    for (const row of rows) {
      const seen = out.get(row.connectionId);
      if (!seen || seen.epoch < row.epoch) out.set(row.connectionId, row);
    }
    return out;
  }

  /**
   * Takes ownership: inserts the next epoch's document, built by `build(previous)` from the
   * current highest one. The unique `_id` makes the claim atomic; when another gateway claimed
   * the same epoch first, it retries on top of that one.
   */
  async claim(
    scope: AccountScope,
    connectionId: string,
    build: (previous: ConnectionStateRecord | null, epoch: number) => ConnectionStateRecord,
  ): Promise<{ record: ConnectionStateRecord; previous: ConnectionStateRecord | null }> {
    for (let attempt = 1; ; attempt++) {
      const previous = await this.latest(scope, connectionId);
      const epoch = (previous?.epoch ?? 0) + 1;
      const record = build(previous, epoch);
      if (record._id !== stateId(connectionId, epoch) || record.epoch !== epoch) {
        throw new Error('claim: the built record must carry the claimed epoch');
      }
      try {
        await this.model.create(record);
        return { record, previous };
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt >= MAX_CLAIM_ATTEMPTS) throw err;
      }
    }
  }

  /** Replaces the owner's document whole (never recreates one that was removed). */
  async save(record: ConnectionStateRecord): Promise<boolean> {
    const result = await this.model
      .replaceOne({ _id: record._id, accountId: record.accountId }, record)
      .exec();
    return result.matchedCount > 0;
  }

  /** One epoch's document (the previous owner's, during a hand-off). */
  get(scope: AccountScope, id: string): Promise<ConnectionStateRecord | null> {
    return this.model.findOne({ _id: id, accountId: scope.accountId }).lean<ConnectionStateRecord>().exec();
  }

  /** Drops the documents of epochs before `epoch` (the new owner, once the hand-off is over). */
  async removeBefore(scope: AccountScope, connectionId: string, epoch: number): Promise<void> {
    await this.model.deleteMany({ connectionId, accountId: scope.accountId, epoch: { $lt: epoch } }).exec();
  }

  /** Drops every state of a deleted connection. */
  async removeAll(scope: AccountScope, connectionId: string): Promise<void> {
    await this.model.deleteMany({ connectionId, accountId: scope.accountId }).exec();
  }
}
