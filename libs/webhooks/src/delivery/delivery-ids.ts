import { createHash } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { EventEnvelope } from '@wwb/contracts';

export const ENDPOINT_ID_PATTERN = /^whk_[0-9A-HJKMNP-TV-Z]{26}$/;
export const DELIVERY_ID_PATTERN = /^dlv_[0-9A-Za-z]{1,40}_[0-9A-Z]{26}(_[0-9A-Z]{26})?$/;
export const JOB_ID_PATTERN = /^job_[0-9A-HJKMNP-TV-Z]{26}$/;

const suffix = (prefixedId: string): string => prefixedId.slice(prefixedId.indexOf('_') + 1);

/** The event id as it may appear in a webhook-id (no '.', bounded length). */
function eventPart(eventId: string): string {
  return /^[0-9A-Za-z]{1,40}$/.test(eventId)
    ? eventId
    : createHash('sha256').update(eventId).digest('hex').slice(0, 32);
}

/** `webhook-id`: stable for an event and an endpoint (every attempt, redelivery and replay). */
export function webhookIdOf(eventId: string, endpointId: string): string {
  return `msg_${eventPart(eventId)}_${suffix(endpointId)}`;
}

/** The delivery of an event to an endpoint; a redelivery or replay adds its request's id. */
export function deliveryIdOf(eventId: string, endpointId: string, jobId?: string): string {
  const base = `dlv_${eventPart(eventId)}_${suffix(endpointId)}`;
  return jobId ? `${base}_${suffix(jobId)}` : base;
}

/** The Kafka key of an event (docs/architecture.md): its ordering unit. */
export function orderKeyOf(e: Pick<EventEnvelope, 'chatId' | 'connectionId' | 'accountId'>): string {
  return e.chatId ?? e.connectionId ?? e.accountId;
}

const partitioner = Partitioners.DefaultPartitioner();

/** The events-topic partition the producer puts a key in (kafkajs' default, murmur2). */
export function partitionOfKey(key: string, partitions: number): number {
  return partitioner({
    topic: 'events',
    partitionMetadata: Array.from({ length: partitions }, (_, i) => ({
      partitionId: i,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
      offlineReplicas: [],
    })),
    message: { key, value: null },
  });
}
