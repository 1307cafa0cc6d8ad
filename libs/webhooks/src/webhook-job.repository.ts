import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { insertOnce } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import {
  WEBHOOK_JOB_MODEL,
  WEBHOOK_JOB_PROGRESS_MODEL,
  WebhookJobProgressRecord,
  WebhookJobRecord,
} from './webhook-job.schema';

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

  recent(since: Date): Promise<WebhookJobRecord[]> {
    return this.jobs
      .find({ createdAt: { $gte: since } })
      .sort({ _id: 1 })
      .lean<WebhookJobRecord[]>()
      .exec();
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

  async purge(before: Date): Promise<void> {
    const old = await this.jobs
      .find({ createdAt: { $lt: before } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    if (old.length === 0) return;
    const ids = old.map((j) => j._id);
    await this.progress.deleteMany({ jobId: { $in: ids } }).exec();
    await this.jobs.deleteMany({ _id: { $in: ids } }).exec();
  }
}
