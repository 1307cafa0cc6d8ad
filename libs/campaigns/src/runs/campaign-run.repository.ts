import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { bulkInsertTolerant, insertOnce } from '@wwb/infrastructure';
import {
  CAMPAIGN_CURSOR_MODEL,
  CAMPAIGN_DISPATCH_MODEL,
  CAMPAIGN_RECIPIENT_MODEL,
  CAMPAIGN_RUN_MARK_MODEL,
  CAMPAIGN_RUN_MODEL,
  CampaignCursorRecord,
  CampaignDispatchRecord,
  CampaignRecipientRecord,
  CampaignRunMarkRecord,
  CampaignRunRecord,
} from './campaign-run.schema';

/**
 * Runs, their marks, recipients and dispatches, and the scheduler's cursors. Everything but the
 * cursor (one writer: the scheduler's lease holder) is inserted once and never rewritten: that
 * is what FerretDB applies atomically, so racing schedulers, planners and gateways lose nothing.
 */
@Injectable()
export class CampaignRunRepository {
  constructor(
    @InjectModel(CAMPAIGN_RUN_MODEL) private readonly runs: Model<CampaignRunRecord>,
    @InjectModel(CAMPAIGN_RUN_MARK_MODEL) private readonly marks: Model<CampaignRunMarkRecord>,
    @InjectModel(CAMPAIGN_RECIPIENT_MODEL) private readonly recipients: Model<CampaignRecipientRecord>,
    @InjectModel(CAMPAIGN_DISPATCH_MODEL) private readonly dispatches: Model<CampaignDispatchRecord>,
    @InjectModel(CAMPAIGN_CURSOR_MODEL) private readonly cursors: Model<CampaignCursorRecord>,
  ) {}

  async ready(): Promise<void> {
    await Promise.all([
      this.runs.init(),
      this.marks.init(),
      this.recipients.init(),
      this.dispatches.init(),
      this.cursors.init(),
    ]);
  }

  /** Claims a run: false when another node created it first. */
  claimRun(run: CampaignRunRecord): Promise<boolean> {
    return insertOnce(this.runs, run);
  }

  findRun(id: string): Promise<CampaignRunRecord | null> {
    return this.runs.findOne({ _id: id }).lean<CampaignRunRecord>().exec();
  }

  /** A campaign's runs, latest occurrence first. */
  runsOf(accountId: string, campaignId: string, limit: number, before?: Date): Promise<CampaignRunRecord[]> {
    const filter: Record<string, unknown> = { accountId, campaignId };
    if (before) filter.occurrence = { $lt: before };
    return this.runs.find(filter).sort({ occurrence: -1 }).limit(limit).lean<CampaignRunRecord[]>().exec();
  }

  /**
   * Runs without a `planned` mark: manual ones at once (the API only claims them), others once
   * created before `staleBefore` (their planner died).
   */
  async unplanned(staleBefore: Date, limit: number): Promise<CampaignRunRecord[]> {
    const runs = await this.runs
      .find({ $or: [{ kind: 'manual' }, { createdAt: { $lt: staleBefore } }] })
      .sort({ createdAt: -1 })
      .limit(limit * 4)
      .lean<CampaignRunRecord[]>()
      .exec();
    const planned = await this.marked(
      runs.map((r) => r._id),
      'planned',
    );
    return runs.filter((r) => !planned.has(r._id)).slice(0, limit);
  }

  /** Inserts a mark once; false when it was there already. */
  mark(runId: string, mark: string, at: Date, data?: Record<string, unknown>): Promise<boolean> {
    return insertOnce(this.marks, { _id: `${runId}/${mark}`, runId, mark, at, ...(data ? { data } : {}) });
  }

  marksOf(runId: string): Promise<CampaignRunMarkRecord[]> {
    return this.marks.find({ runId }).lean<CampaignRunMarkRecord[]>().exec();
  }

  /** Which of `runIds` carry `mark`. */
  async marked(runIds: string[], mark: string): Promise<Set<string>> {
    if (runIds.length === 0) return new Set();
    const rows = await this.marks
      .find({ _id: { $in: runIds.map((id) => `${id}/${mark}`) } }, { runId: 1 })
      .lean<Pick<CampaignRunMarkRecord, 'runId'>[]>()
      .exec();
    return new Set(rows.map((r) => r.runId));
  }

  /** Inserts planned recipients; those planned before (a repeated planning) stay as they were. */
  async insertRecipients(rows: CampaignRecipientRecord[]): Promise<void> {
    await bulkInsertTolerant(this.recipients, rows);
  }

  /** A run's recipients in planning order, after `afterSeq`. */
  recipientsOf(runId: string, afterSeq: number, limit: number): Promise<CampaignRecipientRecord[]> {
    return this.recipients
      .find({ runId, seq: { $gt: afterSeq } })
      .sort({ seq: 1 })
      .limit(limit)
      .lean<CampaignRecipientRecord[]>()
      .exec();
  }

  recipientsByIds(ids: string[]): Promise<CampaignRecipientRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.recipients
      .find({ _id: { $in: ids } })
      .lean<CampaignRecipientRecord[]>()
      .exec();
  }

  /** Pending recipients of `runIds` on a connection that are due by `now`, soonest first. */
  duePending(
    runIds: string[],
    connectionId: string,
    now: Date,
    limit: number,
  ): Promise<CampaignRecipientRecord[]> {
    return this.recipients
      .find({ runId: { $in: runIds }, connectionId, state: 'pending', dueAt: { $lte: now } })
      .sort({ dueAt: 1, seq: 1 })
      .limit(limit)
      .lean<CampaignRecipientRecord[]>()
      .exec();
  }

  /** Ids of the pending recipients of a run on a connection (to tell when its share is done). */
  async pendingIds(runId: string, connectionId: string): Promise<string[]> {
    const rows = await this.recipients
      .find({ runId, connectionId, state: 'pending' }, { _id: 1 })
      .lean<Pick<CampaignRecipientRecord, '_id'>[]>()
      .exec();
    return rows.map((r) => r._id);
  }

  async insertDispatch(dispatch: CampaignDispatchRecord): Promise<void> {
    await insertOnce(this.dispatches, dispatch);
  }

  dispatchesOf(connectionId: string): Promise<CampaignDispatchRecord[]> {
    return this.dispatches.find({ connectionId }).lean<CampaignDispatchRecord[]>().exec();
  }

  dispatchesOfRun(runId: string): Promise<CampaignDispatchRecord[]> {
    return this.dispatches.find({ runId }).lean<CampaignDispatchRecord[]>().exec();
  }

  async cursorOf(campaignId: string): Promise<Date | null> {
    const row = await this.cursors.findOne({ _id: campaignId }).lean<CampaignCursorRecord>().exec();
    return row?.lastOccurrence ?? null;
  }

  async cursorsOf(campaignIds: string[]): Promise<Map<string, Date>> {
    if (campaignIds.length === 0) return new Map();
    const rows = await this.cursors
      .find({ _id: { $in: campaignIds } })
      .lean<CampaignCursorRecord[]>()
      .exec();
    return new Map(rows.map((r) => [r._id, r.lastOccurrence]));
  }

  /** Moves the scheduler's position (the lease holder is the only writer). */
  async setCursor(campaignId: string, lastOccurrence: Date): Promise<void> {
    await this.cursors
      .replaceOne({ _id: campaignId }, { _id: campaignId, lastOccurrence }, { upsert: true })
      .exec();
  }
}
