import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '@wwb/infrastructure';
import { CAMPAIGN_SEND_MODEL, CampaignSendRecord } from './campaign-run.schema';

/**
 * What happened to each recipient at send time, inserted once per recipient by the gateway
 * dispatching it: the insert is the claim (a claimed recipient is never sent again, whoever
 * dispatches it later), or the skip.
 */
@Injectable()
export class CampaignSendRepository {
  constructor(@InjectModel(CAMPAIGN_SEND_MODEL) private readonly sends: Model<CampaignSendRecord>) {}

  async ready(): Promise<void> {
    await this.sends.init();
  }

  /** False when the recipient was claimed or skipped before. */
  record(send: CampaignSendRecord): Promise<boolean> {
    return insertOnce(this.sends, send);
  }

  /** The send records of `recipientIds` that exist. */
  async of(recipientIds: string[]): Promise<Map<string, CampaignSendRecord>> {
    if (recipientIds.length === 0) return new Map();
    const rows = await this.sends
      .find({ _id: { $in: recipientIds } })
      .lean<CampaignSendRecord[]>()
      .exec();
    return new Map(rows.map((r) => [r._id, r]));
  }

  /** How many recipients of a run were claimed, and skipped at send time. */
  async countsOf(runId: string): Promise<{ claimed: number; skipped: number }> {
    const [claimed, skipped] = await Promise.all([
      this.sends.countDocuments({ runId, outcome: 'claimed' }).exec(),
      this.sends.countDocuments({ runId, outcome: 'skipped' }).exec(),
    ]);
    return { claimed, skipped };
  }

  /** The claims of a connection's share of `runIds` (to finish sends a dead gateway left claimed). */
  claimedOn(runIds: string[], connectionId: string): Promise<CampaignSendRecord[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    return this.sends
      .find({ runId: { $in: runIds }, connectionId, outcome: 'claimed' })
      .lean<CampaignSendRecord[]>()
      .exec();
  }

  /** When a contact was last sent campaign messages since `since` (the frequency cap), newest first. */
  async sentToContactSince(accountId: string, contactId: string, since: Date): Promise<Date[]> {
    const rows = await this.sends
      .find({ accountId, contactId, outcome: 'claimed', at: { $gte: since } }, { at: 1 })
      .sort({ at: -1 })
      .lean<Pick<CampaignSendRecord, 'at'>[]>()
      .exec();
    return rows.map((r) => r.at);
  }
}
