import { Schema } from 'mongoose';

export const QUOTA_SLOT_MODEL = 'QuotaSlot';
export const QUOTA_SLOTS_COLLECTION = 'quota_slots';

/**
 * One unit of an account's quota of something held for a while (a pending message, a live
 * stream, a media fetch in flight, a webhook job): `_id` = `<accountId>/<resource>/<slot>`.
 * Under a limit the slots are `n0` … `n<limit-1>`, so the unique `_id` alone makes holding more
 * than the limit impossible whatever the concurrency (a unique insert is atomic on MongoDB and
 * FerretDB alike; a conditional `$inc` on a counter is not atomic on FerretDB 1.24). Without a
 * limit, or for holders that are counted but never refused, the slot is `h-<holderId>`.
 * A slot with `expiresAt` (streams, fetches) is its holder's registration: renewed while held,
 * deleted by the holder when done, or by the reaper once expired (the holder died).
 */
export interface QuotaSlotRecord {
  _id: string;
  accountId: string;
  resource: string;
  slot: string;
  holderId: string;
  takenAt: Date;
  expiresAt?: Date;
}

export const QuotaSlotSchema = new Schema<QuotaSlotRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    resource: { type: String, required: true },
    slot: { type: String, required: true },
    holderId: { type: String, required: true },
    takenAt: { type: Date, required: true },
    expiresAt: { type: Date },
  },
  { collection: QUOTA_SLOTS_COLLECTION, versionKey: false, _id: false },
);
/** Usage per account (GET /v1/account) and the free-slot read when random probes miss. */
QuotaSlotSchema.index({ accountId: 1, resource: 1 }, { name: 'account_resource' });
/** The reaper and the pending-message healer. */
QuotaSlotSchema.index({ resource: 1, takenAt: 1 }, { name: 'resource_taken' });
