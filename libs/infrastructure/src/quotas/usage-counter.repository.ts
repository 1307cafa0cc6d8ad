import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Clock } from '@wwb/runtime';
import { isDuplicateKey } from '../mongo/insert.store';
import { USAGE_COUNTER_MODEL, UsageCounterRecord } from './usage-counter.schema';

export const usageCounterId = (accountId: string, resource: string): string => `${accountId}/${resource}`;

/** Per-account usage counters (see UsageCounterRecord): `$inc` by `_id`, read by `_id`. */
@Injectable()
export class UsageCounterRepository {
  constructor(
    @InjectModel(USAGE_COUNTER_MODEL) private readonly model: Model<UsageCounterRecord>,
    private readonly clock: Clock,
  ) {}

  async add(accountId: string, resource: string, delta: number): Promise<void> {
    if (delta === 0) return;
    const _id = usageCounterId(accountId, resource);
    const update = {
      $inc: { value: delta },
      $set: { changedAt: this.clock.now() },
      $setOnInsert: { accountId, resource },
    };
    try {
      await this.model.updateOne({ _id }, update, { upsert: true }).exec();
    } catch (err) {
      // Two first upserts raced: the document exists now, increment it.
      if (!isDuplicateKey(err)) throw err;
      await this.model.updateOne({ _id }, { $inc: update.$inc, $set: update.$set }).exec();
    }
  }

  async get(accountId: string, resource: string): Promise<number> {
    const doc = await this.model
      .findOne({ _id: usageCounterId(accountId, resource) })
      .lean<UsageCounterRecord>()
      .exec();
    return doc?.value ?? 0;
  }

  /** Several accounts' counters of `resource` (operator listing). */
  async getMany(accountIds: string[], resource: string): Promise<Map<string, number>> {
    const out = new Map<string, number>(accountIds.map((id) => [id, 0]));
    if (accountIds.length === 0) return out;
    const docs = await this.model
      .find({ _id: { $in: accountIds.map((id) => usageCounterId(id, resource)) } })
      .lean<UsageCounterRecord[]>()
      .exec();
    for (const d of docs) out.set(d.accountId, d.value);
    return out;
  }

  /** Every counter of `resource` (reconciliation; one small document per account). */
  all(resource: string): Promise<UsageCounterRecord[]> {
    return this.model.find({ resource }).lean<UsageCounterRecord[]>().exec();
  }
}
