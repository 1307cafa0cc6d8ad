import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, mongo } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { bulkInsertTolerant, insertOnce, InsertOutcome } from '@wwb/infrastructure';
import { deliveryIdOf } from './delivery-ids';
import {
  WEBHOOK_ATTEMPT_MODEL,
  WEBHOOK_DELIVERY_MODEL,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
} from './webhook-delivery.schema';

export type DeliveryHead = Omit<WebhookDeliveryRecord, 'body'> & { body?: string };
export type OriginalDelivery = Pick<
  WebhookDeliveryRecord,
  '_id' | 'eventId' | 'partition' | 'sequence' | 'body'
>;

/**
 * Deliveries and attempts: insert-only collections (see their schemas). Queries other than by
 * `_id` are indexed on MongoDB; on FerretDB they scan, so the hot path only inserts.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(
    @InjectModel(WEBHOOK_DELIVERY_MODEL) private readonly deliveries: Model<WebhookDeliveryRecord>,
    @InjectModel(WEBHOOK_ATTEMPT_MODEL) private readonly attempts: Model<WebhookAttemptRecord>,
  ) {}

  async ready(): Promise<void> {
    await Promise.all([this.deliveries.init(), this.attempts.init()]);
  }

  private get deliveryCollection(): mongo.Collection<WebhookDeliveryRecord> {
    return this.deliveries.collection as unknown as mongo.Collection<WebhookDeliveryRecord>;
  }

  private get attemptCollection(): mongo.Collection<WebhookAttemptRecord> {
    return this.attempts.collection as unknown as mongo.Collection<WebhookAttemptRecord>;
  }

  insertDeliveries(docs: WebhookDeliveryRecord[]): Promise<InsertOutcome> {
    return bulkInsertTolerant(this.deliveryCollection, docs);
  }

  /** False when it exists already. */
  insertDelivery(doc: WebhookDeliveryRecord): Promise<boolean> {
    return insertOnce(this.deliveryCollection, doc);
  }

  insertAttempts(docs: WebhookAttemptRecord[]): Promise<InsertOutcome> {
    return bulkInsertTolerant(this.attemptCollection, docs);
  }

  getDelivery(scope: AccountScope, endpointId: string, id: string): Promise<WebhookDeliveryRecord | null> {
    return this.deliveries
      .findOne({ _id: id, endpointId, accountId: scope.accountId })
      .lean<WebhookDeliveryRecord>()
      .exec();
  }

  /** By id, any account (workers). */
  /**
   * An endpoint's deliveries in some partitions from an id on, in id order (an overflowing
   * lane reloads what it left in the store; uses the endpoint_id index).
   */
  endpointDeliveriesFrom(
    endpointId: string,
    partitions: number[],
    fromId: string,
    limit: number,
  ): Promise<WebhookDeliveryRecord[]> {
    return this.deliveries
      .find({ endpointId, partition: { $in: partitions }, _id: { $gte: fromId } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<WebhookDeliveryRecord[]>()
      .exec();
  }

  deliveriesByIds(ids: string[]): Promise<WebhookDeliveryRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    if (ids.length === 1) return this.deliveries.find({ _id: ids[0] }).lean<WebhookDeliveryRecord[]>().exec();
    return this.deliveries
      .find({ _id: { $in: ids } })
      .lean<WebhookDeliveryRecord[]>()
      .exec();
  }

  /** One endpoint's deliveries, newest first, before a cursor. */
  pageForEndpoint(
    scope: AccountScope,
    endpointId: string,
    opts: { beforeId?: string; limit: number; eventType?: string },
  ): Promise<DeliveryHead[]> {
    const filter: FilterQuery<WebhookDeliveryRecord> = { endpointId, accountId: scope.accountId };
    if (opts.beforeId) filter._id = { $lt: opts.beforeId };
    if (opts.eventType) filter.eventType = opts.eventType;
    return this.deliveries
      .find(filter, { body: 0 })
      .sort({ _id: -1 })
      .limit(opts.limit)
      .lean<DeliveryHead[]>()
      .exec();
  }

  /** Recovery: the deliveries of some partitions created since a time, with bodies. */
  forPartitions(partitions: number[], since: Date): Promise<WebhookDeliveryRecord[]> {
    return this.deliveries
      .find({ partition: { $in: partitions }, createdAt: { $gte: since } })
      .lean<WebhookDeliveryRecord[]>()
      .exec();
  }

  /**
   * Replay: the original deliveries (not redeliveries) of some events (a page) to an endpoint,
   * by their deterministic `_id`s, in one query (FerretDB scans for any filter, so one query per
   * page rather than one per event).
   */
  async originalsOf(endpointId: string, eventIds: readonly string[]): Promise<Map<string, OriginalDelivery>> {
    const out = new Map<string, OriginalDelivery>();
    if (eventIds.length === 0) return out;
    const docs = await this.deliveries
      .find(
        { _id: { $in: eventIds.map((eventId) => deliveryIdOf(eventId, endpointId)) } },
        { eventId: 1, partition: 1, sequence: 1, body: 1 },
      )
      .lean<OriginalDelivery[]>()
      .exec();
    for (const d of docs) out.set(d.eventId, d);
    return out;
  }

  attemptsOf(deliveryIds: string[]): Promise<WebhookAttemptRecord[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    const filter =
      deliveryIds.length === 1 ? { deliveryId: deliveryIds[0] } : { deliveryId: { $in: deliveryIds } };
    return this.attempts.find(filter).sort({ deliveryId: 1, n: 1 }).lean<WebhookAttemptRecord[]>().exec();
  }

  /** Recovery: attempt outcomes of some partitions since a time (no response bodies). */
  attemptsForPartitions(partitions: number[], since: Date): Promise<WebhookAttemptRecord[]> {
    return this.attempts
      .find({ partition: { $in: partitions }, at: { $gte: since } }, { responseBody: 0, error: 0 })
      .lean<WebhookAttemptRecord[]>()
      .exec();
  }

  /** Retention and deleted endpoints. */
  async purge(before: Date, deletedEndpointIds: string[]): Promise<number> {
    const filter: FilterQuery<WebhookDeliveryRecord> = deletedEndpointIds.length
      ? { $or: [{ createdAt: { $lt: before } }, { endpointId: { $in: deletedEndpointIds } }] }
      : { createdAt: { $lt: before } };
    const attemptFilter: FilterQuery<WebhookAttemptRecord> = deletedEndpointIds.length
      ? { $or: [{ at: { $lt: before } }, { endpointId: { $in: deletedEndpointIds } }] }
      : { at: { $lt: before } };
    const [d] = await Promise.all([
      this.deliveries.deleteMany(filter).exec(),
      this.attempts.deleteMany(attemptFilter).exec(),
    ]);
    return d.deletedCount;
  }

  /** Endpoint ids that still have deliveries ($group is in FerretDB's subset). */
  async endpointIdsWithDeliveries(): Promise<string[]> {
    const rows = await this.deliveries
      .aggregate<{ _id: string }>([{ $group: { _id: '$endpointId' } }])
      .exec();
    return rows.map((r) => r._id);
  }
}
