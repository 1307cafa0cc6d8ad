import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { ReplayCursorRecord, WEBHOOK_REPLAY_CURSOR_MODEL } from './replay-cursor.schema';

export interface ReplayPosition {
  after: string;
  deliveries: number;
}

/** Replay positions per (job, partition); a small collection (jobs of the recovery horizon). */
@Injectable()
export class ReplayCursorRepository {
  constructor(@InjectModel(WEBHOOK_REPLAY_CURSOR_MODEL) private readonly model: Model<ReplayCursorRecord>) {}

  async ready(): Promise<void> {
    await this.model.init();
  }

  async ofJobs(jobIds: string[]): Promise<ReplayCursorRecord[]> {
    if (jobIds.length === 0) return [];
    return this.model
      .find({ jobId: { $in: jobIds } })
      .lean<ReplayCursorRecord[]>()
      .exec();
  }

  /** Saves the positions of a job's partitions (one bulk of replacements by `_id`). */
  async save(jobId: string, positions: ReadonlyMap<number, ReplayPosition>, at: Date): Promise<void> {
    if (positions.size === 0) return;
    const ops = [...positions].map(([partition, p]) => {
      const doc: ReplayCursorRecord = {
        _id: `${jobId}:${partition}`,
        jobId,
        partition,
        after: p.after,
        deliveries: p.deliveries,
        at,
      };
      return { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } };
    });
    await (this.model.collection as unknown as mongo.Collection<ReplayCursorRecord>).bulkWrite(ops, {
      ordered: false,
    });
  }

  async purge(before: Date): Promise<void> {
    await this.model.deleteMany({ at: { $lt: before } }).exec();
  }
}
