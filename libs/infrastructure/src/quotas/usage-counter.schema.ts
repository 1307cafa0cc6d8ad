import { Schema } from 'mongoose';

export const USAGE_COUNTER_MODEL = 'UsageCounter';
export const USAGE_COUNTERS_COLLECTION = 'usage_counters';

/**
 * An amount an account uses (e.g. bytes of stored media), `_id` = `<accountId>/<resource>`:
 * read by `_id` alone (the cheapest filter on FerretDB 1.24: SQLite checks it, row by row),
 * changed with `$inc`.
 * `$inc` is exact on MongoDB; FerretDB 1.24 loses some of the concurrent updates of one
 * document, so the owner of the resource reconciles the counter with its source of truth from
 * time to time (only once the counter was quiet for a while: see `changedAt`).
 */
export interface UsageCounterRecord {
  _id: string;
  accountId: string;
  resource: string;
  value: number;
  /** Last change: a reconciliation skips counters that changed recently (work in flight). */
  changedAt: Date;
}

export const UsageCounterSchema = new Schema<UsageCounterRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    resource: { type: String, required: true },
    value: { type: Number, required: true },
    changedAt: { type: Date, required: true },
  },
  { collection: USAGE_COUNTERS_COLLECTION, versionKey: false, _id: false },
);
UsageCounterSchema.index({ resource: 1 }, { name: 'resource' });
