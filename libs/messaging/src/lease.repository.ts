import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { isDuplicateKeyError } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { LEASE_MODEL, LeaseRecord } from './lease.schema';

/**
 * Leases on cluster-wide jobs (@nestjs/schedule timers fire on every node; the lease holder
 * alone does the work). The current epoch's holder renews it while it is valid; once it has
 * expired, nodes race to insert the next epoch and the unique `_id` picks exactly one winner.
 * (Tested against FerretDB: deleting an expired lease and inserting it again under the same
 * `_id` let two racing nodes both win.)
 */
@Injectable()
export class LeaseRepository {
  constructor(
    @InjectModel(LEASE_MODEL) private readonly model: Model<LeaseRecord>,
    private readonly clock: Clock,
  ) {}

  /** True when `holder` holds the lease `name` for the next `ttlMs` (taken or renewed). */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + ttlMs);
    const current = await this.current(name);
    if (current && current.expiresAt.getTime() > now.getTime()) {
      if (current.holder !== holder) return false;
      await this.model.updateOne({ _id: current._id, holder }, { $set: { expiresAt } });
      return true;
    }
    const epoch = current ? current.epoch + 1 : 0;
    if (!(await this.insert({ _id: `${name}#${epoch}`, name, epoch, holder, expiresAt }))) return false;
    if (epoch > 0) await this.model.deleteMany({ name, epoch: { $lt: epoch } }).catch(() => undefined);
    return true;
  }

  /** Ends the holder's lease early (the next node takes the next epoch at once). */
  async release(name: string, holder: string): Promise<void> {
    const current = await this.current(name);
    if (current?.holder === holder) {
      await this.model.updateOne({ _id: current._id, holder }, { $set: { expiresAt: new Date(0) } });
    }
  }

  private current(name: string): Promise<LeaseRecord | null> {
    return this.model.findOne({ name }).sort({ epoch: -1 }).lean<LeaseRecord>();
  }

  private async insert(record: LeaseRecord): Promise<boolean> {
    try {
      await (this.model.collection as unknown as mongo.Collection<LeaseRecord>).insertOne(record);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }
}
