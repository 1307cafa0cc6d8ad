import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CAMPAIGN_MODEL, CampaignRecord } from '../definitions';

/**
 * The runs side's reads of campaign definitions (it never writes them): the campaigns the
 * scheduler may start, and one campaign by id for the planner and the gateways dispatching.
 */
@Injectable()
export class ActiveCampaignRepository {
  constructor(@InjectModel(CAMPAIGN_MODEL) private readonly campaigns: Model<CampaignRecord>) {}

  /** Active campaigns of every account, by id after `afterId`. */
  active(afterId: string | undefined, limit: number): Promise<CampaignRecord[]> {
    const filter: Record<string, unknown> = { state: 'active' };
    if (afterId !== undefined) filter._id = { $gt: afterId };
    return this.campaigns.find(filter).sort({ _id: 1 }).limit(limit).lean<CampaignRecord[]>().exec();
  }

  /** Any account's campaign: the caller got the id from a run of that account. */
  byId(id: string): Promise<CampaignRecord | null> {
    return this.campaigns.findOne({ _id: id }).lean<CampaignRecord>().exec();
  }
}
