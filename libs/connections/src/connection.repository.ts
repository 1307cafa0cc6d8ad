import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { ConnectionDoc, ConnectionRecord, DesiredState } from './connection.schema';

/** A connection as gateways load it for placement (every account). */
export type PlacementRecord = Pick<
  ConnectionRecord,
  '_id' | 'accountId' | 'driver' | 'desiredState' | 'desiredAt'
>;

/**
 * The `connections` collection. Every tenant query takes an AccountScope; the only queries that
 * span accounts are the gateways' placement reads (`running()`, `placement()`), which name that.
 */
@Injectable()
export class ConnectionRepository {
  constructor(@InjectModel(ConnectionDoc.name) private readonly model: Model<ConnectionDoc>) {}

  async insert(record: ConnectionRecord): Promise<void> {
    await this.model.create(record);
  }

  /** The connection unless it is deleted (tombstones are invisible to the account). */
  get(scope: AccountScope, id: string): Promise<ConnectionRecord | null> {
    return this.model
      .findOne({ _id: id, accountId: scope.accountId, desiredState: { $ne: 'deleted' } })
      .lean<ConnectionRecord>()
      .exec();
  }

  /** One page in id (= creation) order after `afterId`, optionally only among `ids`. */
  page(
    scope: AccountScope,
    opts: { afterId?: string; limit: number; ids?: readonly string[] },
  ): Promise<ConnectionRecord[]> {
    const filter: FilterQuery<ConnectionDoc> = {
      accountId: scope.accountId,
      desiredState: { $ne: 'deleted' },
    };
    const idFilter: { $gt?: string; $in?: string[] } = {};
    if (opts.afterId) idFilter.$gt = opts.afterId;
    if (opts.ids) idFilter.$in = [...opts.ids];
    if (Object.keys(idFilter).length) filter._id = idFilter;
    return this.model.find(filter).sort({ _id: 1 }).limit(opts.limit).lean<ConnectionRecord[]>().exec();
  }

  /**
   * Sets what the account wants. The API is this document's only writer and always sets the
   * same three fields together, so two concurrent requests end with one of them, whole.
   */
  async setDesiredState(scope: AccountScope, id: string, state: DesiredState, at: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, accountId: scope.accountId, desiredState: { $ne: 'deleted' } },
        { $set: { desiredState: state, desiredAt: at, updatedAt: at } },
      )
      .exec();
    return result.matchedCount > 0;
  }

  /** Removes the tombstone once the gateway cleaned up (or a failed creation). */
  async remove(scope: AccountScope, id: string): Promise<void> {
    await this.model.deleteOne({ _id: id, accountId: scope.accountId }).exec();
  }

  /** Gateways: every connection that should run, of every account. */
  running(): Promise<PlacementRecord[]> {
    return this.model
      .find({ desiredState: 'running' }, { _id: 1, accountId: 1, driver: 1, desiredState: 1, desiredAt: 1 })
      .lean<PlacementRecord[]>()
      .exec();
  }

  /** Gateways: deleted connections whose clean-up is still due (every account). */
  deleted(): Promise<PlacementRecord[]> {
    return this.model
      .find({ desiredState: 'deleted' }, { _id: 1, accountId: 1, driver: 1, desiredState: 1, desiredAt: 1 })
      .lean<PlacementRecord[]>()
      .exec();
  }

  /** Gateways: one connection as placement sees it, tombstones included (any account). */
  placement(id: string): Promise<PlacementRecord | null> {
    return this.model
      .findById(id, { _id: 1, accountId: 1, driver: 1, desiredState: 1, desiredAt: 1 })
      .lean<PlacementRecord>()
      .exec();
  }
}
