import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, mongo } from 'mongoose';
import { insertOnce } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import {
  WEBHOOK_JOB_MODEL,
  WEBHOOK_JOB_PROGRESS_MODEL,
  WebhookJobProgressRecord,
  WebhookJobRecord,
} from './webhook-job.schema';

const PURGE_PAGE = 1000;

/** Redelivery and replay requests, and which partitions have done them. */
@Injectable()
export class WebhookJobRepository {
  constructor(
    @InjectModel(WEBHOOK_JOB_MODEL) private readonly jobs: Model<WebhookJobRecord>,
    @InjectModel(WEBHOOK_JOB_PROGRESS_MODEL) private readonly progress: Model<WebhookJobProgressRecord>,
  ) {}

  async ready(): Promise<void> {
    await Promise.all([this.jobs.init(), this.progress.init()]);
  }

  async insert(job: WebhookJobRecord): Promise<void> {
    await this.jobs.collection.insertOne(job as unknown as mongo.Document);
  }

  get(scope: AccountScope, endpointId: string, id: string): Promise<WebhookJobRecord | null> {
    return this.jobs
      .findOne({ _id: id, endpointId, accountId: scope.accountId })
      .lean<WebhookJobRecord>()
      .exec();
  }

  /** Jobs created since a time and not finished, in id order after a cursor, at most `limit`. */
  pending(since: Date, after: string | undefined, limit: number): Promise<WebhookJobRecord[]> {
    const filter: FilterQuery<WebhookJobRecord> = {
      createdAt: { $gte: since },
      finishedAt: { $exists: false },
    };
    if (after !== undefined) filter._id = { $gt: after };
    return this.jobs.find(filter).sort({ _id: 1 }).limit(limit).lean<WebhookJobRecord[]>().exec();
  }

  /** Every partition concerned is done (idempotent: any worker may set it, by `_id`). */
  async markFinished(jobId: string, at: Date): Promise<void> {
    await this.jobs.updateOne({ _id: jobId }, { $set: { finishedAt: at } }).exec();
  }

  progressOf(jobIds: string[]): Promise<WebhookJobProgressRecord[]> {
    if (jobIds.length === 0) return Promise.resolve([]);
    return this.progress
      .find({ jobId: { $in: jobIds } })
      .lean<WebhookJobProgressRecord[]>()
      .exec();
  }

  /** Marks (job, partition) done; false if it was already. */
  async markDone(jobId: string, partition: number, deliveries: number, at: Date): Promise<boolean> {
    return insertOnce(this.progress, {
      _id: `${jobId}:${partition}`,
      jobId,
      partition,
      deliveries,
      doneAt: at,
    });
  }

  /** Jobs created before a time and their progress, PURGE_PAGE jobs at a time. */
  async purge(before: Date): Promise<void> {
    for (;;) {
      const old = await this.jobs
        .find({ createdAt: { $lt: before } }, { _id: 1 })
        .limit(PURGE_PAGE)
        .lean<{ _id: string }[]>()
        .exec();
      if (old.length === 0) return;
      const ids = old.map((j) => j._id);
      await this.progress.deleteMany({ jobId: { $in: ids } }).exec();
      await this.jobs.deleteMany({ _id: { $in: ids } }).exec();
      if (old.length < PURGE_PAGE) return;
    }
  }
}
