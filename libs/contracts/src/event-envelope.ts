/**
 * The one envelope every event travels in, on Kafka, in the event log and in webhook bodies.
 * Types are dotted lower-case (`message.received`); `version` is the version of `data`'s schema.
 */
export interface EventEnvelope<TData = unknown, TType extends string = string> {
  /** Unique id (ULID, time-ordered): the deduplication key of every consumer. */
  id: string;
  type: TType;
  version: number;
  /** ISO-8601 UTC time at which the fact happened. */
  occurredAt: string;
  accountId: string;
  connectionId?: string;
  chatId?: string;
  /** Per-chat sequence, where order per chat matters. */
  sequence?: number;
  /** Carried from the HTTP request (or the originating event) through Kafka headers. */
  correlationId?: string;
  data: TData;
}

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** JSON Schema of the envelope itself (the `data` part is described per event type). */
export const ENVELOPE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://wwb.local/schemas/events/envelope.json',
  title: 'EventEnvelope',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'version', 'occurredAt', 'accountId', 'data'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64, description: 'Unique event id (ULID)' },
    type: { type: 'string', pattern: EVENT_TYPE_PATTERN.source, description: 'Dotted lower-case type' },
    version: { type: 'integer', minimum: 1, description: 'Version of the data schema' },
    occurredAt: { type: 'string', format: 'date-time' },
    accountId: { type: 'string', minLength: 1 },
    connectionId: { type: 'string', minLength: 1 },
    chatId: { type: 'string', minLength: 1 },
    sequence: { type: 'integer', minimum: 0 },
    correlationId: { type: 'string', minLength: 1, maxLength: 128 },
    data: { type: 'object' },
  },
} as const;
