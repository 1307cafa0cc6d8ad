import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { CAMPAIGN_CURSOR_MODEL, CampaignCursorRecord } from '../runs/campaign-run.schema';
import { CAMPAIGN_MODEL, CampaignRecord } from './campaign.schema';

/** What a change may set: everything but identity and creation time. */
export type CampaignChanges = Partial<Omit<CampaignRecord, '_id' | 'accountId' | 'createdAt'>> &
  Pick<CampaignRecord, 'revision' | 'updatedAt'>;

/** Campaign documents (written by the API only) and, read-only, the scheduler's cursors. */
@Injectable()
export class CampaignRepository {
  constructor(
    @InjectModel(CAMPAIGN_MODEL) private readonly campaigns: Model<CampaignRecord>,
    @InjectModel(CAMPAIGN_CURSOR_MODEL) private readonly cursors: Model<CampaignCursorRecord>,
  ) {}

  async insert(record: CampaignRecord): Promise<void> {
    await this.campaigns.create(record);
  }

  /** By `_id` alone (FerretDB uses no other index for it); another account's campaign is null. */
  async get(scope: AccountScope, id: string): Promise<CampaignRecord | null> {
    const doc = await this.campaigns.findOne({ _id: id }).lean<CampaignRecord>().exec();
    return doc && doc.accountId === scope.accountId ? doc : null;
  }

  /** Newest first (ids are ULIDs), strictly before `beforeId` when given. */
  list(scope: AccountScope, opts: { beforeId?: string; limit: number }): Promise<CampaignRecord[]> {
    // Bulk jobs are campaigns underneath but are listed under their connection, not here.
    const filter: Record<string, unknown> = { accountId: scope.accountId, kind: { $ne: 'bulk' } };
    if (opts.beforeId) filter._id = { $lt: opts.beforeId };
    return this.campaigns.find(filter).sort({ _id: -1 }).limit(opts.limit).lean<CampaignRecord[]>().exec();
  }

  /**
   * Applies `changes` only if the campaign is still at `revision` (what the caller read): false
   * when it is gone or another change was written first.
   */
  async update(
    scope: AccountScope,
    id: string,
    revision: number,
    changes: CampaignChanges,
  ): Promise<boolean> {
    const res = await this.campaigns
      .updateOne({ _id: id, accountId: scope.accountId, revision }, { $set: changes })
      .exec();
    return res.matchedCount > 0;
  }

  async delete(scope: AccountScope, id: string): Promise<boolean> {
    const res = await this.campaigns.deleteOne({ _id: id, accountId: scope.accountId }).exec();
    return res.deletedCount > 0;
  }

  /** The last occurrence the scheduler started, per campaign (absent: never ran). */
  async lastOccurrences(ids: readonly string[]): Promise<Map<string, Date>> {
    if (!ids.length) return new Map();
    const docs = await this.cursors
      .find({ _id: { $in: [...ids] } })
      .lean<CampaignCursorRecord[]>()
      .exec();
    return new Map(docs.map((d) => [d._id, new Date(d.lastOccurrence)]));
  }
}
