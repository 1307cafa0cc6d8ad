import { Schema } from 'mongoose';

export const LEASE_MODEL = 'MessagingLease';

/**
 * One epoch of a lease on a cluster-wide job (`_id` = `<name>#<epoch>`): its holder runs the job
 * until `expiresAt`. A new holder never rewrites or deletes the current epoch, it inserts the
 * next one, so that the unique `_id` alone decides between racing nodes (FerretDB applies
 * neither concurrent updates nor a delete-then-insert of one `_id` atomically).
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
  { collection: 'leases', versionKey: false, _id: false },
);
LeaseSchema.index({ name: 1, epoch: -1 }, { name: 'name_epoch' });
