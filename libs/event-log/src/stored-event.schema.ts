import { Schema } from 'mongoose';

export const STORED_EVENT_MODEL = 'StoredEvent';
export const EVENTS_COLLECTION = 'events';

/**
 * One event of the log. `_id` is the event id (a ULID), so ids sort by time and inserts dedupe.
 * The whole envelope is kept as JSON text: event data may hold keys with '.' or a leading '$'
 * and nested arrays, which FerretDB refuses in documents (MongoDB would take them), and the log
 * must store every valid event. The fields a query needs are copied next to it.
 */
export interface StoredEventRecord {
  _id: string;
  accountId: string;
  type: string;
  occurredAt: Date;
  connectionId?: string;
  chatId?: string;
  /** JSON.stringify of the whole envelope. */
  envelopeJson: string;
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
    envelopeJson: { type: String, required: true },
    storedAt: { type: Date, required: true },
  },
  { collection: EVENTS_COLLECTION, versionKey: false, _id: false },
);

/** Pull API: one account's events in id order. */
StoredEventSchema.index({ accountId: 1, _id: 1 }, { name: 'account_id' });
