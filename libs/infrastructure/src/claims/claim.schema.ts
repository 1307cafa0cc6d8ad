import { Schema } from 'mongoose';

export type ClaimState = 'started' | 'done' | 'released';

/**
 * One generation of a claim on "do X once for this key" (`_id` = `<key>#<gen>`). Only the
 * claimant writes its generation (done, released); a stale or released claim is taken over by
 * inserting the next generation, never by deleting and re-inserting one `_id`.
 */
export interface ClaimRecord {
  _id: string;
  key: string;
  gen: number;
  state: ClaimState;
  /** Identifies the claimant (a fresh id per claim). */
  holder: string;
  claimedAt: Date;
  doneAt?: Date;
}

/**
 * The schema of a claim collection (one per owner, e.g. Kafka's processed events). Its indexes
 * are created by ClaimStore.ensureIndexes(), whatever MONGO_AUTO_INDEX says.
 */
export function claimSchema(collection: string): Schema<ClaimRecord> {
  const schema = new Schema<ClaimRecord>(
    {
      _id: { type: String, required: true },
      key: { type: String, required: true },
      gen: { type: Number, required: true },
      state: { type: String, required: true, enum: ['started', 'done', 'released'] },
      holder: { type: String, required: true },
      claimedAt: { type: Date, required: true },
      doneAt: { type: Date },
    },
    { collection, versionKey: false, _id: false, autoIndex: false },
  );
  schema.index({ key: 1, gen: -1 }, { name: 'key_gen' });
  schema.index({ state: 1, doneAt: 1 }, { name: 'state_done_at' });
  return schema;
}
