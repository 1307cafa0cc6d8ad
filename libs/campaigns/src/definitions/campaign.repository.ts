import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import {
  CAMPAIGN_CURSOR_MODEL,
  CAMPAIGN_RUN_MARK_MODEL,
  CAMPAIGN_RUN_MODEL,
  CampaignCursorRecord,
  CampaignRunMarkRecord,
  CampaignRunRecord,
} from '../runs/campaign-run.schema';
import { CAMPAIGN_MODEL, CampaignRecord } from './campaign.schema';
import {
  LastRunView,
  lastRunFilter,
  latestRuns,
  RUN_STATE_MARKS,
  RunHead,
  toLastRunView,
} from './last-run.policy';

/** What a change may set: everything but identity and creation time. */
export type CampaignChanges = Partial<Omit<CampaignRecord, '_id' | 'accountId' | 'createdAt'>> &
  Pick<CampaignRecord, 'revision' | 'updatedAt'>;

/** Campaign documents (written by the API only) and, read-only, the scheduler's cursors and the runs. */
@Injectable()
export class CampaignRepository {
  constructor(
    @InjectModel(CAMPAIGN_MODEL) private readonly campaigns: Model<CampaignRecord>,
    @InjectModel(CAMPAIGN_CURSOR_MODEL) private readonly cursors: Model<CampaignCursorRecord>,
    @InjectModel(CAMPAIGN_RUN_MODEL) private readonly runs: Model<CampaignRunRecord>,
    @InjectModel(CAMPAIGN_RUN_MARK_MODEL) private readonly marks: Model<CampaignRunMarkRecord>,
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

  /**
   * The latest run of each campaign (absent: never ran), for a whole page at once: one query of
   * the runs and one of their state marks, however many campaigns (`cursors`: lastOccurrences).
   */
  async lastRuns(
    scope: AccountScope,
    ids: readonly string[],
    cursors: ReadonlyMap<string, Date>,
  ): Promise<Map<string, LastRunView>> {
    if (!ids.length) return new Map();
    const runs = await this.runs
      .find(lastRunFilter(scope.accountId, ids, cursors), { _id: 1, campaignId: 1, kind: 1, occurrence: 1 })
      .sort({ occurrence: -1 })
      .lean<RunHead[]>()
      .exec();
    const latest = [...latestRuns(runs).values()];
    if (!latest.length) return new Map();
    const marks = await this.marks
      .find(
        { _id: { $in: latest.flatMap((r) => RUN_STATE_MARKS.map((m) => `${r._id}/${m}`)) } },
        { runId: 1, mark: 1 },
      )
      .lean<Pick<CampaignRunMarkRecord, 'runId' | 'mark'>[]>()
      .exec();
    const marksOf = (runId: string) => new Set(marks.filter((m) => m.runId === runId).map((m) => m.mark));
    return new Map(latest.map((r) => [r.campaignId, toLastRunView(r, marksOf(r._id))]));
  }
}
