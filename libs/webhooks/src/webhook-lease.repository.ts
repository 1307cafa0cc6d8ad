import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { isDuplicateKeyError } from '@wwb/persistence';
import { WEBHOOK_LEASE_MODEL, WebhookLeaseRecord } from './webhook-job.schema';

/**
 * Leases on partitions of deliveries. Taken by unique insert; a lease past its expiry is
 * removed (by its holder and expiry, so only that one) and taken by insert again, so that of
 * several racing workers exactly one wins. The holder renews well before expiry, so a renewal
 * never races with a take-over.
 */
@Injectable()
export class WebhookLeaseRepository {
  constructor(@InjectModel(WEBHOOK_LEASE_MODEL) private readonly model: Model<WebhookLeaseRecord>) {}

  /** True when `holder` now holds `name` until `expiresAt`. */
  async acquire(name: string, holder: string, now: Date, expiresAt: Date): Promise<boolean> {
    if (await this.insert({ _id: name, holder, expiresAt })) return true;
    const current = await this.model.findOne({ _id: name }).lean<WebhookLeaseRecord>().exec();
    if (!current) return this.insert({ _id: name, holder, expiresAt });
    if (current.holder === holder) return this.renew(name, holder, expiresAt);
    if (current.expiresAt.getTime() > now.getTime()) return false;
    await this.model.deleteOne({ _id: name, holder: current.holder, expiresAt: current.expiresAt }).exec();
    return this.insert({ _id: name, holder, expiresAt });
  }

  async renew(name: string, holder: string, expiresAt: Date): Promise<boolean> {
    const res = await this.model.updateOne({ _id: name, holder }, { $set: { expiresAt } }).exec();
    return res.matchedCount === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.model.deleteOne({ _id: name, holder }).exec();
  }

  private async insert(record: WebhookLeaseRecord): Promise<boolean> {
    try {
      await (this.model.collection as unknown as mongo.Collection<WebhookLeaseRecord>).insertOne(record);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }
}
