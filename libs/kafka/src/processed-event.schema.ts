import { Schema } from 'mongoose';

export const PROCESSED_EVENT_MODEL = 'ProcessedEvent';
export const PROCESSED_EVENTS_COLLECTION = 'processed_events';

export type ProcessedEventState = 'started' | 'done';

/** One row per (consumer, event) whose effect was claimed; see ProcessedEventStore. */
export interface ProcessedEventRecord {
  consumer: string;
  eventId: string;
  state: ProcessedEventState;
  /** Identifies the holder of the claim (a fresh id per claim). */
  claimId: string;
  claimedAt: Date;
  doneAt?: Date;
}

export const ProcessedEventSchema = new Schema<ProcessedEventRecord>(
  {
    consumer: { type: String, required: true },
    eventId: { type: String, required: true },
    state: { type: String, required: true, enum: ['started', 'done'] },
    claimId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    doneAt: { type: Date },
  },
  { collection: PROCESSED_EVENTS_COLLECTION, versionKey: false, autoIndex: false },
);

/** The claim itself: at most one row per consumer and event. */
ProcessedEventSchema.index({ consumer: 1, eventId: 1 }, { unique: true, name: 'consumer_event_unique' });
/** For purging old rows. */
ProcessedEventSchema.index({ state: 1, doneAt: 1 }, { name: 'state_done_at' });
