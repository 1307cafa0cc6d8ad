import { Schema } from 'mongoose';

export const AUTO_REPLY_MODEL = 'AutoReply';
export const AUTO_REPLY_REVISION_MODEL = 'AutoReplyRevision';

/**
 * A rule as stored. Conditions and actions are kept as JSON text: they are only ever read whole,
 * and user-given keys (header names, template variables) must not become document keys
 * (FerretDB refuses `.` and `$` in keys).
 */
export interface AutoReplyRecord {
  _id: string;
  accountId: string;
  name: string;
  priority: number;
  enabled: boolean;
  stopOnMatch: boolean;
  connectionIds: string[];
  conditionsJson: string;
  actionsJson: string;
  cooldownSeconds: number;
  createdAt: Date;
  updatedAt: Date;
}

export const AutoReplySchema = new Schema<AutoReplyRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    name: { type: String, required: true },
    priority: { type: Number, required: true },
    enabled: { type: Boolean, required: true },
    stopOnMatch: { type: Boolean, required: true },
    connectionIds: { type: [String], default: [] },
    conditionsJson: { type: String, required: true },
    actionsJson: { type: String, required: true },
    cooldownSeconds: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'auto_replies', versionKey: false, _id: false },
);
AutoReplySchema.index({ accountId: 1, priority: 1, _id: 1 }, { name: 'account_priority' });

/**
 * One document per change of an account's rules, insert-only: `_id` is `<accountId>/<seq>` and a
 * writer takes the next `seq` by a unique insert (FerretDB applies those atomically, unlike
 * concurrent updates of one counter). Processes caching compiled rules compare the highest
 * `seq` with the one they loaded.
 */
export interface AutoReplyRevisionRecord {
  _id: string;
  accountId: string;
  seq: number;
  at: Date;
}

export const AutoReplyRevisionSchema = new Schema<AutoReplyRevisionRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'auto_reply_revisions', versionKey: false, _id: false },
);
AutoReplyRevisionSchema.index({ accountId: 1, seq: -1 }, { name: 'account_seq' });
