import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { ApiKeyDoc, ApiKeyRecord, ApiKeyUsageDoc } from './api-key.schema';

export type NewApiKey = Omit<ApiKeyRecord, 'accountId' | 'lastUsedAt' | 'revokedAt'>;

const ACTIVE = { revokedAt: { $exists: false } } as const;

/** API keys (and their last use) in Mongo. Every tenant query takes the AccountScope first. */
@Injectable()
export class ApiKeyRepository {
  constructor(
    @InjectModel(ApiKeyDoc.name) private readonly model: Model<ApiKeyDoc>,
    @InjectModel(ApiKeyUsageDoc.name) private readonly usage: Model<ApiKeyUsageDoc>,
  ) {}

  async insert(scope: AccountScope, key: NewApiKey): Promise<ApiKeyRecord> {
    const doc: ApiKeyRecord = { ...key, accountId: scope.accountId };
    if (!doc.connectionIds?.length) delete doc.connectionIds;
    await this.model.create(doc);
    return doc;
  }

  /** Authentication: the hash is how the tenant is found, so this is the one unscoped read. */
  findActiveByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.model
      .findOne({ hash, ...ACTIVE })
      .lean<ApiKeyRecord>()
      .exec();
  }

  /** Active keys after `afterId`, oldest first, with their lastUsedAt. */
  async pageActive(scope: AccountScope, opts: { afterId?: string; limit: number }): Promise<ApiKeyRecord[]> {
    const filter: FilterQuery<ApiKeyDoc> = { accountId: scope.accountId, ...ACTIVE };
    if (opts.afterId) filter._id = { $gt: opts.afterId };
    const keys = await this.model
      .find(filter)
      .sort({ _id: 1 })
      .limit(opts.limit)
      .lean<ApiKeyRecord[]>()
      .exec();
    if (keys.length === 0) return keys;
    const used = await this.usage
      .find({ _id: { $in: keys.map((k) => k._id) }, accountId: scope.accountId })
      .lean<{ _id: string; lastUsedAt: Date }[]>()
      .exec();
    const lastUsed = new Map(used.map((u) => [u._id, u.lastUsedAt]));
    return keys.map((k) => (lastUsed.has(k._id) ? { ...k, lastUsedAt: lastUsed.get(k._id) } : k));
  }

  /** One active key of this account, or null. */
  async findActive(scope: AccountScope, id: string): Promise<ApiKeyRecord | null> {
    return this.model
      .findOne({ _id: id, accountId: scope.accountId, ...ACTIVE })
      .lean<ApiKeyRecord>()
      .exec();
  }

  /** Marks an active key of this account revoked; false when there is no such active key. */
  async revoke(scope: AccountScope, id: string, at: Date): Promise<boolean> {
    const res = await this.model
      .updateOne({ _id: id, accountId: scope.accountId, ...ACTIVE }, { $set: { revokedAt: at } })
      .exec();
    return res.modifiedCount === 1;
  }

  async touchLastUsed(scope: AccountScope, id: string, at: Date): Promise<void> {
    await this.usage
      .updateOne({ _id: id }, { $set: { accountId: scope.accountId, lastUsedAt: at } }, { upsert: true })
      .exec();
  }

  async remove(scope: AccountScope, id: string): Promise<void> {
    await this.model.deleteOne({ _id: id, accountId: scope.accountId }).exec();
  }
}
