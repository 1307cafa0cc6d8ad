import { claimSchema, ClaimRecord } from '@wwb/infrastructure';

export const PROCESSED_EVENT_MODEL = 'ProcessedEvent';
/** Claims per (consumer, event), one document per generation (see ClaimStore). */
export const PROCESSED_EVENTS_COLLECTION = 'processed_event_claims';

export type ProcessedEventRecord = ClaimRecord;

export const ProcessedEventSchema = claimSchema(PROCESSED_EVENTS_COLLECTION);

/** The claim key of a consumer's effect for an event. */
export const processedEventKey = (consumer: string, eventId: string): string => `${consumer}|${eventId}`;
