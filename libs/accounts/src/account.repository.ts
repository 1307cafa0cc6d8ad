import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { AccountDoc, AccountRecord } from './account.schema';

export type AccountPatch = Partial<Pick<AccountRecord, 'name' | 'plan' | 'disabled'>>;

/**
 * Accounts in Mongo. The account is the tenant, so its own queries take its AccountScope;
 * only the operator's listing spans tenants.
 */
@Injectable()
export class AccountRepository {
  constructor(@InjectModel(AccountDoc.name) private readonly model: Model<AccountDoc>) {}

  async insert(record: AccountRecord): Promise<void> {
    await this.model.create(record);
  }

  get(scope: AccountScope): Promise<AccountRecord | null> {
    return this.model.findById(scope.accountId).lean<AccountRecord>().exec();
  }

  /** Operator listing, ordered by id (ULIDs: creation order), starting after `afterId`. */
  page(opts: { afterId?: string; limit: number }): Promise<AccountRecord[]> {
    const filter: FilterQuery<AccountDoc> = opts.afterId ? { _id: { $gt: opts.afterId } } : {};
    return this.model.find(filter).sort({ _id: 1 }).limit(opts.limit).lean<AccountRecord[]>().exec();
  }

  update(scope: AccountScope, patch: AccountPatch, at: Date): Promise<AccountRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: scope.accountId }, { $set: { ...patch, updatedAt: at } }, { new: true })
      .lean<AccountRecord>()
      .exec();
  }
}
