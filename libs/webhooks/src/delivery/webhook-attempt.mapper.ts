import { PendingDelivery } from './delivery-queue';
import { parseRetryAfter, RetrySchedule } from './retry.schedule';
import { AttemptOutcome, WebhookAttemptRecord } from './webhook-delivery.schema';
import { ENDPOINT_LEVEL_ERRORS, WebhookResult } from './webhook-http.client';

/** Statuses that mean "the endpoint as a whole is overloaded or down": the lane backs off. */
const BACK_OFF_STATUSES = new Set([429, 502, 503, 504]);

/** What one attempt's response (or its absence) means for the delivery and its endpoint. */
export interface AttemptVerdict {
  record: WebhookAttemptRecord;
  ok: boolean;
  /** 410 Gone: the endpoint asks to be disabled. */
  gone: boolean;
  /** The failure concerns the endpoint as a whole, not this event: its lane pauses. */
  backOff: boolean;
  retryAfterMs?: number;
  /** When the next attempt may start (outcome `retrying` only). */
  nextDueAtMs?: number;
}

/** The attempt record of `d`'s next attempt, started at `startedMs` and answered with `result`. */
export function judgeAttempt(
  d: PendingDelivery,
  result: WebhookResult,
  startedMs: number,
  nowMs: number,
  schedule: RetrySchedule,
): AttemptVerdict {
  const n = d.attempts + 1;
  const record: WebhookAttemptRecord = {
    _id: `${d.id}~${n}`,
    accountId: d.accountId,
    endpointId: d.endpointId,
    deliveryId: d.id,
    partition: d.partition,
    n,
    at: new Date(startedMs),
    outcome: 'retrying',
    latencyMs: result.latencyMs,
  };
  if (n === 1) record.firstAttemptDelayMs = Math.max(0, startedMs - d.occurredAtMs);
  let ok = false;
  let retryAfterMs: number | undefined;
  let backOff = false;
  let gone = false;
  if (result.kind === 'response') {
    record.statusCode = result.statusCode;
    if (result.body) record.responseBody = result.body;
    ok = result.statusCode >= 200 && result.statusCode < 300;
    gone = result.statusCode === 410;
    retryAfterMs = parseRetryAfter(result.retryAfter, nowMs);
    backOff = BACK_OFF_STATUSES.has(result.statusCode);
    if (result.statusCode >= 300 && result.statusCode < 400)
      record.error = 'redirect not followed (3xx counts as a failure)';
    else if (!ok) record.error = `HTTP ${result.statusCode}`;
  } else {
    record.error = `${result.code}: ${result.message}`;
    backOff = ENDPOINT_LEVEL_ERRORS.has(result.code);
  }

  let outcome: AttemptOutcome;
  let nextDueAtMs: number | undefined;
  if (ok) outcome = 'delivered';
  else if (gone) {
    outcome = 'failed';
    record.error = 'HTTP 410 Gone: the endpoint is disabled';
  } else {
    const delay = schedule.delayAfter(n, retryAfterMs);
    if (delay === null) outcome = 'failed';
    else {
      outcome = 'retrying';
      nextDueAtMs = nowMs + delay;
      record.nextAttemptAt = new Date(nextDueAtMs);
    }
  }
  record.outcome = outcome;
  return { record, ok, gone, backOff, retryAfterMs, nextDueAtMs };
}

/** The record that ends a delivery without a request (its endpoint was disabled). */
export function cancelledAttempt(d: PendingDelivery, at: Date, reason: string): WebhookAttemptRecord {
  return {
    _id: `${d.id}~${d.attempts + 1}`,
    accountId: d.accountId,
    endpointId: d.endpointId,
    deliveryId: d.id,
    partition: d.partition,
    n: d.attempts + 1,
    at,
    outcome: 'cancelled',
    error: reason,
  };
}
