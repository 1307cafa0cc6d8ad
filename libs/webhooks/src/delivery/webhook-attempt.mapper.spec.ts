import { PendingDelivery } from './delivery-queue';
import { MAX_ATTEMPTS, RetrySchedule } from './retry.schedule';
import { cancelledAttempt, judgeAttempt } from './webhook-attempt.mapper';
import { WebhookResult } from './webhook-http.client';

const NOW = 1_700_000_000_000;
// random() = 0.5 puts the jitter at zero: the first retry comes exactly 5 s later.
const schedule = new RetrySchedule(1, () => 0.5);

const pending = (attempts = 0): PendingDelivery => ({
  id: 'dlv_1',
  endpointId: 'whk_1',
  accountId: 'acc_1',
  eventId: 'evt_1',
  webhookId: 'msg_1',
  partition: 3,
  order: '0001',
  streamKey: 'dlv_1',
  occurredAtMs: NOW - 700,
  attempts,
  dueAtMs: NOW,
});

const response = (statusCode: number, extra: { body?: string; retryAfter?: string } = {}): WebhookResult => ({
  kind: 'response',
  statusCode,
  body: '',
  latencyMs: 12,
  ...extra,
});

describe('judgeAttempt', () => {
  it('records a 2xx as delivered, with the delay of the first attempt', () => {
    const v = judgeAttempt(pending(), response(204), NOW - 100, NOW, schedule);
    expect(v).toMatchObject({ ok: true, gone: false, backOff: false, nextDueAtMs: undefined });
    expect(v.record).toMatchObject({
      _id: 'dlv_1~1',
      n: 1,
      outcome: 'delivered',
      statusCode: 204,
      latencyMs: 12,
      firstAttemptDelayMs: 600,
      at: new Date(NOW - 100),
    });
    expect(v.record.error).toBeUndefined();
  });

  it('schedules a retry after a 500 without pausing the lane', () => {
    const v = judgeAttempt(pending(), response(500, { body: 'oops' }), NOW, NOW, schedule);
    expect(v).toMatchObject({ ok: false, backOff: false, nextDueAtMs: NOW + 5_000 });
    expect(v.record).toMatchObject({
      outcome: 'retrying',
      error: 'HTTP 500',
      responseBody: 'oops',
      nextAttemptAt: new Date(NOW + 5_000),
    });
  });

  it('backs off on 503 and honours a longer Retry-After', () => {
    const v = judgeAttempt(pending(), response(503, { retryAfter: '60' }), NOW, NOW, schedule);
    expect(v).toMatchObject({ backOff: true, retryAfterMs: 60_000, nextDueAtMs: NOW + 60_000 });
  });

  it('fails a 410 at once and says the endpoint is gone', () => {
    const v = judgeAttempt(pending(), response(410), NOW, NOW, schedule);
    expect(v).toMatchObject({ ok: false, gone: true, nextDueAtMs: undefined });
    expect(v.record).toMatchObject({ outcome: 'failed', error: 'HTTP 410 Gone: the endpoint is disabled' });
  });

  it('counts a redirect as a failure', () => {
    const v = judgeAttempt(pending(), response(302), NOW, NOW, schedule);
    expect(v.record.error).toBe('redirect not followed (3xx counts as a failure)');
    expect(v.record.outcome).toBe('retrying');
  });

  it('backs off on an endpoint-level transport error only', () => {
    const refused = judgeAttempt(
      pending(),
      { kind: 'error', code: 'connection_refused', message: 'ECONNREFUSED', latencyMs: 1 },
      NOW,
      NOW,
      schedule,
    );
    expect(refused.backOff).toBe(true);
    expect(refused.record.error).toBe('connection_refused: ECONNREFUSED');
    const timeout = judgeAttempt(
      pending(),
      { kind: 'error', code: 'timeout', message: 'no answer', latencyMs: 1 },
      NOW,
      NOW,
      schedule,
    );
    expect(timeout.backOff).toBe(false);
  });

  it('fails for good when the schedule is exhausted, and numbers the attempt', () => {
    const v = judgeAttempt(pending(MAX_ATTEMPTS - 1), response(500), NOW, NOW, schedule);
    expect(v.record).toMatchObject({ _id: `dlv_1~${MAX_ATTEMPTS}`, n: MAX_ATTEMPTS, outcome: 'failed' });
    expect(v.record.firstAttemptDelayMs).toBeUndefined();
    expect(v.nextDueAtMs).toBeUndefined();
  });

  it('does not change the delivery itself', () => {
    const d = pending(2);
    judgeAttempt(d, response(500), NOW, NOW, schedule);
    expect(d).toEqual(pending(2));
  });
});

describe('cancelledAttempt', () => {
  it('ends the delivery as its next attempt, with the reason', () => {
    expect(cancelledAttempt(pending(1), new Date(NOW), 'endpoint disabled (manual)')).toEqual({
      _id: 'dlv_1~2',
      accountId: 'acc_1',
      endpointId: 'whk_1',
      deliveryId: 'dlv_1',
      partition: 3,
      n: 2,
      at: new Date(NOW),
      outcome: 'cancelled',
      error: 'endpoint disabled (manual)',
    });
  });
});
