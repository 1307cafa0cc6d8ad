import { Schema } from 'mongoose';

export const LEASE_MODEL = 'MessagingLease';

/** A lease on a cluster-wide job (`_id` = job name): the holder runs it until `expiresAt`. */
export interface LeaseRecord {
  _id: string;
  holder: string;
  expiresAt: Date;
}

export const LeaseSchema = new Schema<LeaseRecord>(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'leases', versionKey: false, _id: false },
);
