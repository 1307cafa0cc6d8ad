import { Schema } from 'mongoose';

export const IDEMPOTENCY_RECORD_MODEL = 'MessageIdempotency';

/**
 * An Idempotency-Key of the send endpoint (`_id` = `<accountId>/<sha256 of the key>`): the unique
 * insert decides which of concurrent requests with the same key creates the message.
 */
export interface IdempotencyRecord {
  _id: string;
  accountId: string;
  messageId: string;
  /** sha256 of the connection id and the canonical request body. */
  fingerprint: string;
  createdAt: Date;
}

export const IdempotencyRecordSchema = new Schema<IdempotencyRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    messageId: { type: String, required: true },
    fingerprint: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'message_idempotency', versionKey: false, _id: false },
);
IdempotencyRecordSchema.index({ createdAt: 1 }, { name: 'created' });
