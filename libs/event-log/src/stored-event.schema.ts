import { Schema } from 'mongoose';
import { EventEnvelope } from '@wwb/contracts';

export const STORED_EVENT_MODEL = 'StoredEvent';
export const EVENTS_COLLECTION = 'events';

/** One event of the log. `_id` is the event id (a ULID), so ids sort by time and inserts dedupe. */
export interface StoredEventRecord {
  _id: string;
  accountId: string;
  type: string;
  occurredAt: Date;
  connectionId?: string;
  chatId?: string;
  envelope: EventEnvelope;
  storedAt: Date;
}

export const StoredEventSchema = new Schema<StoredEventRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    type: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    connectionId: { type: String },
    chatId: { type: String },
    envelope: { type: Schema.Types.Mixed, required: true },
    storedAt: { type: Date, required: true },
  },
  { collection: EVENTS_COLLECTION, versionKey: false, _id: false },
);

/** Pull API: one account's events in id order. */
StoredEventSchema.index({ accountId: 1, _id: 1 }, { name: 'account_id' });
