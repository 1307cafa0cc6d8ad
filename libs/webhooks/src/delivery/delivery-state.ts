import { PendingDelivery } from './delivery-queue';
import { TERMINAL_OUTCOMES, WebhookAttemptRecord, WebhookDeliveryRecord } from './webhook-delivery.schema';

/** Deliveries are recovered if created within this horizon (longer than any retry schedule). */
export const RECOVERY_HORIZON_MS = 7 * 24 * 3_600_000;

export function streamKeyOf(record: WebhookDeliveryRecord, ordering: 'none' | 'chat'): string {
  return ordering === 'chat' ? `${record.partition}:${record.orderKey}` : record._id;
}

export function toPending(
  record: WebhookDeliveryRecord,
  ordering: 'none' | 'chat',
  nowMs: number,
): PendingDelivery {
  return {
    id: record._id,
    endpointId: record.endpointId,
    accountId: record.accountId,
    eventId: record.eventId,
    webhookId: record.webhookId,
    partition: record.partition,
    order: record.order,
    streamKey: streamKeyOf(record, ordering),
    occurredAtMs: record.occurredAt.getTime(),
    body: record.body,
    attempts: 0,
    dueAtMs: nowMs,
  };
}

export interface DeliveryProgress {
  attempts: number;
  /** The outcome of the last attempt, if any. */
  last?: WebhookAttemptRecord;
  terminal: boolean;
}

/** Folds attempt records into each delivery's progress (last attempt = highest n). */
export function progressByDelivery(attempts: readonly WebhookAttemptRecord[]): Map<string, DeliveryProgress> {
  const out = new Map<string, DeliveryProgress>();
  for (const a of attempts) {
    const p = out.get(a.deliveryId);
    if (!p || a.n > p.attempts) {
      out.set(a.deliveryId, { attempts: a.n, last: a, terminal: TERMINAL_OUTCOMES.has(a.outcome) });
    }
  }
  return out;
}

/** A delivery's state from its last attempt: pending (no attempt, or retrying), delivered or failed. */
export function statusOf(progress: DeliveryProgress | undefined): 'pending' | 'delivered' | 'failed' {
  if (!progress?.last || !progress.terminal) return 'pending';
  return progress.last.outcome === 'delivered' ? 'delivered' : 'failed';
}
