import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { isDuplicateKeyError } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { LEASE_MODEL, LeaseRecord } from './lease.schema';

/**
 * Leases on cluster-wide jobs (@nestjs/schedule timers fire on every node; the lease holder
 * alone does the work). Taken by unique insert; an expired lease is removed by its old holder's
 * id and taken again by insert, so that of several nodes racing exactly one wins. The holder
 * renews its own lease.
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
    if (await this.insert({ _id: name, holder, expiresAt })) return true;
    const current = await this.model.findOne({ _id: name }).lean<LeaseRecord>();
    if (!current) return this.insert({ _id: name, holder, expiresAt });
    if (current.holder === holder) {
      const res = await this.model.updateOne({ _id: name, holder }, { $set: { expiresAt } });
      return res.matchedCount === 1;
    }
    if (current.expiresAt.getTime() > now.getTime()) return false;
    await this.model.deleteOne({ _id: name, holder: current.holder, expiresAt: current.expiresAt });
    return this.insert({ _id: name, holder, expiresAt });
  }

  async release(name: string, holder: string): Promise<void> {
    await this.model.deleteOne({ _id: name, holder });
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
