import { Schema } from 'mongoose';

export const WINDOW_COUNT_MODEL = 'WindowCount';
export const WINDOW_COUNTS_COLLECTION = 'window_counts';

/** A key and its count. */
export type KeyCount = [string, number];

/**
 * What one process counted in one fixed window of one scope (`_id` =
 * `<scope>/<windowStart>/<node>`). Only that process writes it (a whole replace per sync), so
 * the document has one writer: FerretDB 1.24 loses concurrent `$inc`s of one document (see
 * docs/architecture.md), so a shared per-key counter would undercount under exactly the load it
 * must stop. The global count of a key is the sum over the window's documents of every process.
 */
export interface WindowCountRecord {
  _id: string;
  scope: string;
  /** Epoch ms at which the window starts (a multiple of the window length). */
  windowStart: number;
  node: string;
  /**
   * Parallel arrays (`counts[i]` is the count of `keys[i]`): keys may hold dots (client
   * addresses), so they cannot be field names, and FerretDB stores no nested arrays.
   */
  keys: string[];
  counts: number[];
  writtenAt: Date;
}

export const WindowCountSchema = new Schema<WindowCountRecord>(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    windowStart: { type: Number, required: true },
    node: { type: String, required: true },
    // Mixed: thousands of entries are not cast one by one on every sync.
    keys: { type: Schema.Types.Mixed, required: true },
    counts: { type: Schema.Types.Mixed, required: true },
    writtenAt: { type: Date, required: true },
  },
  { collection: WINDOW_COUNTS_COLLECTION, versionKey: false, _id: false, minimize: false },
);
WindowCountSchema.index({ scope: 1, windowStart: 1 }, { name: 'scope_window' });
