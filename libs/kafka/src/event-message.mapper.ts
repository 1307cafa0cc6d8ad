import { IHeaders, Message } from 'kafkajs';
import { EventEnvelope } from '@wwb/contracts';

/** Header names carried by every event message. */
export const EVENT_HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  correlationId: 'correlation-id',
} as const;

/**
 * The Kafka key, i.e. the unit of ordering: all events of one chat land on one partition, in
 * order; events without a chat are ordered per connection, then per account.
 */
export function messageKey(event: EventEnvelope): string {
  return event.chatId ?? event.connectionId ?? event.accountId;
}

/**
 * The Kafka message for an envelope. The correlation id comes from the envelope, else from the
 * caller's context (the HTTP request or the event being handled).
 */
export function toKafkaMessage(event: EventEnvelope, contextCorrelationId?: string): Message {
  const headers: IHeaders = {
    [EVENT_HEADERS.eventId]: event.id,
    [EVENT_HEADERS.eventType]: event.type,
  };
  const correlationId = event.correlationId ?? contextCorrelationId;
  if (correlationId) headers[EVENT_HEADERS.correlationId] = correlationId;
  return { key: messageKey(event), value: JSON.stringify(event), headers };
}

/** Kafka headers as plain strings (the last value wins when a header repeats). */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}

/** One header as a string (the last value when it repeats). */
export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value === undefined ? undefined : value.toString();
}
