import { Schema } from 'mongoose';

export const LEASE_MODEL = 'Lease';
export const LEASES_COLLECTION = 'leases';

/**
 * One epoch of a lease (`_id` = `<name>#<epoch>`): its holder owns the named job until
 * `expiresAt`. Only the holder ever writes its epoch's document (renew, release); a new holder
 * never rewrites or deletes the current epoch, it inserts the next one, so that the unique `_id`
 * alone decides between racing nodes (FerretDB applies neither concurrent updates nor a
 * delete-then-insert of one `_id` atomically).
 */
export interface LeaseRecord {
  _id: string;
  name: string;
  epoch: number;
  holder: string;
  expiresAt: Date;
}

export const LeaseSchema = new Schema<LeaseRecord>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    epoch: { type: Number, required: true },
    holder: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: LEASES_COLLECTION, versionKey: false, _id: false },
);
LeaseSchema.index({ name: 1, epoch: -1 }, { name: 'name_epoch' });
