import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { PlanSlotDoc, PlanSlotRecord } from './plan-slot.schema';
import { LimitedResource } from './plan.value-object';

export type Usage = Record<LimitedResource, number>;
const ZERO: Usage = {
  apiKeys: 0,
  connections: 0,
  webhooks: 0,
  templates: 0,
  autoReplies: 0,
  faqBots: 0,
  campaigns: 0,
  users: 0,
};

export const slotId = (scope: AccountScope, resource: LimitedResource, slot: string): string =>
  `${scope.accountId}/${resource}/${slot}`;

/** The plan slots an account holds: how plan limits are enforced and usage is counted. */
@Injectable()
export class PlanSlotRepository {
  constructor(@InjectModel(PlanSlotDoc.name) private readonly model: Model<PlanSlotDoc>) {}

  held(scope: AccountScope, resource: LimitedResource): Promise<PlanSlotRecord[]> {
    return this.model.find({ accountId: scope.accountId, resource }).lean<PlanSlotRecord[]>().exec();
  }

  count(scope: AccountScope, resource: LimitedResource): Promise<number> {
    return this.model.countDocuments({ accountId: scope.accountId, resource }).exec();
  }

  /** Takes a slot; false when someone holds it already (unique `_id`). */
  async tryTake(
    scope: AccountScope,
    resource: LimitedResource,
    slot: string,
    holderId: string,
    at: Date,
  ): Promise<boolean> {
    try {
      await this.model.create({
        _id: slotId(scope, resource, slot),
        accountId: scope.accountId,
        resource,
        slot,
        holderId,
        createdAt: at,
      });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async giveBackSlot(scope: AccountScope, resource: LimitedResource, slot: string): Promise<void> {
    await this.model.deleteOne({ _id: slotId(scope, resource, slot), accountId: scope.accountId }).exec();
  }

  /** Gives back whatever `holderId` holds (idempotent). */
  async release(scope: AccountScope, resource: LimitedResource, holderId: string): Promise<void> {
    await this.model.deleteMany({ accountId: scope.accountId, resource, holderId }).exec();
  }

  async usage(scope: AccountScope): Promise<Usage> {
    return (await this.usageOf([scope.accountId])).get(scope.accountId) ?? { ...ZERO };
  }

  /** Operator listing: usage of several accounts in one aggregation ($match/$group/$sum only). */
  async usageOf(accountIds: string[]): Promise<Map<string, Usage>> {
    const out = new Map<string, Usage>(accountIds.map((id) => [id, { ...ZERO }]));
    if (accountIds.length === 0) return out;
    const rows = await this.model
      .aggregate<{ _id: { accountId: string; resource: LimitedResource }; n: number }>([
        { $match: { accountId: { $in: accountIds } } },
        { $group: { _id: { accountId: '$accountId', resource: '$resource' }, n: { $sum: 1 } } },
      ])
      .exec();
    for (const row of rows) {
      const usage = out.get(row._id.accountId);
      if (usage && row._id.resource in usage) usage[row._id.resource] = row.n;
    }
    return out;
  }
}
