import { Schema } from 'mongoose';

export const WEBHOOK_REPLAY_CURSOR_MODEL = 'WebhookReplayCursor';

/**
 * How far a replay got in one partition: `_id` = `<jobId>:<partition>`. Written after every page
 * by the worker holding the partition's lease (one writer), so a replay whose partition moves to
 * another worker (or whose worker restarts) goes on from there instead of from `since`.
 */
export interface ReplayCursorRecord {
  _id: string;
  jobId: string;
  partition: number;
  /** The last event id read (the event log's cursor). */
  after: string;
  /** Deliveries created so far. */
  deliveries: number;
  at: Date;
}

export const ReplayCursorSchema = new Schema<ReplayCursorRecord>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    partition: { type: Number, required: true },
    after: { type: String, required: true },
    deliveries: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'webhook_replay_cursors', versionKey: false, _id: false },
);
