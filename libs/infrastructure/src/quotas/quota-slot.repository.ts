import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Clock } from '@wwb/runtime';
import { CoalescingQueue } from '../batching';
import { bulkInsertTolerant } from '../mongo/insert.store';
import { QUOTA_SLOT_MODEL, QuotaSlotRecord } from './quota-slot.schema';
import { ExternalHoldsStore } from './external-holds.store';
import { SlotPicker } from './slot-picker';

export interface TakeSlot {
  accountId: string;
  resource: string;
  /** Most slots the account may hold; `null` = unlimited (counted, never refused). */
  limit: number | null;
  /** Who holds the slot (a message, stream, fetch or job id). */
  holderId: string;
  /** A registration that lapses unless renewed (the holder may die without giving it back). */
  ttlMs?: number;
}

/** The outcome of a coalesced insert whose slot was already held (duplicate key). */
const TAKEN = Symbol('slot taken');

export const quotaSlotId = (accountId: string, resource: string, slot: string): string =>
  `${accountId}/${resource}/${slot}`;

/**
 * Quota slots (see QuotaSlotRecord): race-free limits on things an account holds for a while.
 * Taking a slot costs one unique insert while the account is well under its limit (SlotPicker:
 * a random numbered slot, then the account's slots read once when random ones are taken, a
 * refusal remembered for a second in this process). Releasing is a read and a delete by `_id`
 * (the cheapest filter on FerretDB 1.24, checked in SQLite, though row by row: this collection
 * holds only the slots in use).
 */
@Injectable()
export class QuotaSlotRepository {
  /**
   * Slot inserts of concurrent requests go to FerretDB together (one unordered insertMany per
   * round trip): the send path takes a slot per message, and one insert per request doubled
   * the database's write transactions at 500 sends/s.
   */
  private readonly inserts: CoalescingQueue<QuotaSlotRecord>;

  constructor(
    @InjectModel(QUOTA_SLOT_MODEL) private readonly model: Model<QuotaSlotRecord>,
    private readonly clock: Clock,
    private readonly picker: SlotPicker,
    private readonly external: ExternalHoldsStore,
  ) {
    this.inserts = new CoalescingQueue(async (docs) => {
      const { duplicates } = await bulkInsertTolerant(this.model, docs);
      return docs.map((_, i) => (duplicates.has(i) ? TAKEN : undefined));
    });
  }

  /** Takes a slot for `holderId`: its `_id`, or null when the account holds `limit` already. */
  async take(req: TakeSlot): Promise<string | null> {
    if (req.limit === null) return this.takeUncapped(req);
    const slot = await this.picker.pick(`${req.accountId}/${req.resource}`, req.limit, {
      tryTake: (candidate) => this.insertOnce(this.record(req, candidate)),
      held: async () =>
        (
          await this.model
            .find({ accountId: req.accountId, resource: req.resource }, { slot: 1 })
            .lean<Pick<QuotaSlotRecord, 'slot'>[]>()
            .exec()
        ).map((s) => s.slot),
    });
    return slot === null ? null : quotaSlotId(req.accountId, req.resource, slot);
  }

  /** A slot that is counted but never refused (`h-<holderId>`; taking it again is a no-op). */
  async takeUncapped(req: Omit<TakeSlot, 'limit'>): Promise<string> {
    const slot = `h-${req.holderId}`;
    await this.insertOnce(this.record(req, slot));
    return quotaSlotId(req.accountId, req.resource, slot);
  }

  /**
   * Extends a registration held by `holderId`; false when it is no longer theirs (reaped after
   * it expired): the holder must take a slot again or stop.
   */
  async renew(id: string, holderId: string, ttlMs: number): Promise<boolean> {
    const current = await this.model.findOne({ _id: id }).lean<QuotaSlotRecord>().exec();
    if (current?.holderId !== holderId) return false;
    const res = await this.model
      .updateOne({ _id: id }, { $set: { expiresAt: new Date(this.clock.nowMs() + ttlMs) } })
      .exec();
    return res.matchedCount === 1;
  }

  /**
   * Gives a slot back if `holderId` still holds it (idempotent). Read, then delete by `_id`: a
   * slot freed and taken by another holder between the two is the one case that can be deleted
   * wrongly (its new holder then runs without a slot: one over the limit until it ends).
   */
  async release(id: string, holderId: string): Promise<void> {
    const current = await this.model.findOne({ _id: id }).lean<QuotaSlotRecord>().exec();
    if (current?.holderId !== holderId) return;
    await this.model.deleteOne({ _id: id }).exec();
    this.picker.forget(`${current.accountId}/${current.resource}`);
  }

  /** Slots the account holds of `resource` (expired registrations included until reaped). */
  held(accountId: string, resource: string): Promise<QuotaSlotRecord[]> {
    return this.model.find({ accountId, resource }).lean<QuotaSlotRecord[]>().exec();
  }

  /**
   * Live slots per account and resource (expired registrations not counted), those held on other
   * documents (ExternalHoldsStore) included.
   */
  async usageOf(accountIds: string[]): Promise<Map<string, Record<string, number>>> {
    if (accountIds.length === 0) return new Map();
    const [rows, expired, out] = await Promise.all([
      this.model
        .aggregate<{ _id: { accountId: string; resource: string }; n: number }>([
          { $match: { accountId: { $in: accountIds } } },
          { $group: { _id: { accountId: '$accountId', resource: '$resource' }, n: { $sum: 1 } } },
        ])
        .exec(),
      this.model
        .find(
          { accountId: { $in: accountIds }, expiresAt: { $lte: this.clock.now() } },
          { accountId: 1, resource: 1 },
        )
        .lean<Pick<QuotaSlotRecord, 'accountId' | 'resource'>[]>()
        .exec(),
      this.external.usageOf(accountIds),
    ]);
    for (const row of rows) {
      const usage = out.get(row._id.accountId);
      if (usage) usage[row._id.resource] = (usage[row._id.resource] ?? 0) + row.n;
    }
    for (const slot of expired) {
      const usage = out.get(slot.accountId);
      if (usage && usage[slot.resource]) usage[slot.resource]! -= 1;
    }
    return out;
  }

  /** Reaper: registrations that expired before `before` (their holders died), at most `limit`. */
  expired(before: Date, limit: number): Promise<QuotaSlotRecord[]> {
    return this.model
      .find({ expiresAt: { $lt: before } })
      .limit(limit)
      .lean<QuotaSlotRecord[]>()
      .exec();
  }

  /** Healer: slots of `resource` taken before `before`, in `_id` order after `afterId`, at most `limit`. */
  takenBefore(resource: string, before: Date, afterId: string | undefined, limit: number) {
    const filter: Record<string, unknown> = { resource, takenAt: { $lt: before } };
    if (afterId !== undefined) filter._id = { $gt: afterId };
    return this.model.find(filter).sort({ _id: 1 }).limit(limit).lean<QuotaSlotRecord[]>().exec();
  }

  /** Reaper and healer: deletes a slot that is still the one that was read (same holder and taking). */
  async remove(slot: Pick<QuotaSlotRecord, '_id' | 'holderId' | 'takenAt'>): Promise<boolean> {
    const res = await this.model
      .deleteOne({ _id: slot._id, holderId: slot.holderId, takenAt: slot.takenAt })
      .exec();
    return res.deletedCount === 1;
  }

  /** A coalesced unique insert: false when the slot is held already. */
  private async insertOnce(record: QuotaSlotRecord): Promise<boolean> {
    try {
      await this.inserts.add(record);
      return true;
    } catch (err) {
      if (err === TAKEN) return false;
      throw err;
    }
  }

  private record(req: Omit<TakeSlot, 'limit'>, slot: string): QuotaSlotRecord {
    const now = this.clock.nowMs();
    return {
      _id: quotaSlotId(req.accountId, req.resource, slot),
      accountId: req.accountId,
      resource: req.resource,
      slot,
      holderId: req.holderId,
      takenAt: new Date(now),
      ...(req.ttlMs !== undefined ? { expiresAt: new Date(now + req.ttlMs) } : {}),
    };
  }
}
