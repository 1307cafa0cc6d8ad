import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Clock } from '@wwb/runtime';
import { insertOnce } from '../mongo/insert.store';
import { LEASE_MODEL, LeaseRecord } from './lease.schema';

/** The current epoch of a lease: who holds it and until when. */
export interface LeaseState {
  name: string;
  epoch: number;
  holder: string;
  expiresAt: Date;
}

/**
 * Leases on cluster-wide work (a @nestjs/schedule job, a partition of webhook deliveries): the
 * holder alone does it. One algorithm, safe on FerretDB:
 * - the current epoch's holder renews it (an update of its own document: one writer);
 * - once it has expired (or was released), nodes race to insert `<name>#<epoch+1>` and the
 *   unique `_id` picks exactly one winner. No `_id` is ever deleted and inserted again while it
 *   can be raced for (FerretDB let two racers both win that way).
 * A renewal counts only if it was written before the old expiry: a node that saw the epoch
 * expired read it after that moment, so it reads the renewal. Node clocks must agree to well
 * within the renewal margin the caller keeps (renew at a third of the TTL, as callers here do).
 */
@Injectable()
export class LeaseRepository {
  constructor(
    @InjectModel(LEASE_MODEL) private readonly model: Model<LeaseRecord>,
    private readonly clock: Clock,
  ) {}

  /**
   * True when `holder` holds `name` for `ttlMs` from now: taken (free, expired or released) or,
   * when it holds it already, renewed.
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const current = await this.current(name);
    if (current && current.expiresAt.getTime() > this.clock.nowMs()) {
      return current.holder === holder && this.extend(current, ttlMs);
    }
    return this.take(name, holder, current ? current.epoch + 1 : 0, ttlMs);
  }

  /**
   * Renew-or-fail: extends the lease when `holder` holds it and it has not expired; false
   * otherwise (the caller must stop the work at once). Never takes a lease it did not hold.
   */
  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const current = await this.current(name);
    if (!current || current.holder !== holder || current.expiresAt.getTime() <= this.clock.nowMs()) {
      return false;
    }
    return this.extend(current, ttlMs);
  }

  /** Ends the holder's lease early: the next node takes the next epoch at once. */
  async release(name: string, holder: string): Promise<void> {
    const current = await this.current(name);
    if (current?.holder === holder) {
      await this.model.updateOne({ _id: current._id, holder }, { $set: { expiresAt: new Date(0) } }).exec();
    }
  }

  /** The lease's current epoch (whether or not it has expired), or null if never taken. */
  async current(name: string): Promise<(LeaseState & { _id: string }) | null> {
    return this.model.findOne({ name }).sort({ epoch: -1 }).lean<LeaseRecord>().exec();
  }

  /** Whether `holder` holds `name` now (by the database's record and this node's clock). */
  async holds(name: string, holder: string): Promise<boolean> {
    const current = await this.current(name);
    return !!current && current.holder === holder && current.expiresAt.getTime() > this.clock.nowMs();
  }

  private async extend(current: LeaseRecord, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(this.clock.nowMs() + ttlMs);
    const res = await this.model
      .updateOne({ _id: current._id, holder: current.holder }, { $set: { expiresAt } })
      .exec();
    if (res.matchedCount === 0) return false;
    if (this.clock.nowMs() < current.expiresAt.getTime()) return true;
    // Written after the old expiry: a racer may have seen it expired and be taking the next
    // epoch. Give this one up so that the next epoch is decided by insert alone.
    await this.release(current.name, current.holder);
    return false;
  }

  private async take(name: string, holder: string, epoch: number, ttlMs: number): Promise<boolean> {
    const _id = `${name}#${epoch}`;
    const expiresAt = new Date(this.clock.nowMs() + ttlMs);
    if (!(await insertOnce(this.model, { _id, name, epoch, holder, expiresAt }))) return false;
    // A node that read the lease long ago may insert an old epoch that was cleaned up since:
    // only the highest epoch is the lease.
    const latest = await this.current(name);
    if (latest?._id !== _id) return false;
    if (epoch > 0) {
      await this.model
        .deleteMany({ name, epoch: { $lt: epoch } })
        .exec()
        .catch(() => undefined);
    }
    return true;
  }
}
