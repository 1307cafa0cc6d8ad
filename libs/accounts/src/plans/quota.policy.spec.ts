import { fitsStoredBytes, mediaBytesExceeded, QUOTA_RULES, quotaExceeded } from './quota.policy';

describe('quota policy', () => {
  it('refuses a unit held for a while with 429 and a code per resource, the limit and a Retry-After hint', () => {
    const codes = Object.fromEntries(
      (Object.keys(QUOTA_RULES) as (keyof typeof QUOTA_RULES)[]).map((r) => [
        r,
        quotaExceeded(r, 'starter', 3).code,
      ]),
    );
    expect(codes).toEqual({
      pendingMessages: 'too_many_pending_messages',
      sseStreams: 'too_many_streams',
      webhookJobs: 'too_many_webhook_jobs',
      mediaFetches: 'too_many_media_fetches',
      scheduledMessages: 'too_many_scheduled_messages',
      bulkJobs: 'too_many_bulk_jobs',
    });
    const err = quotaExceeded('pendingMessages', 'starter', 3);
    expect(err.kind).toBe('limit_reached');
    expect(err.transient).toBe(true);
    expect(err.details).toEqual({
      resource: 'pendingMessages',
      plan: 'starter',
      limit: 3,
      retryAfterSeconds: 5,
    });
    expect(err.message).toContain('3 messages waiting to be sent');
  });

  it('stored bytes fit up to the limit exactly; null is unlimited; a counter gone negative counts as 0', () => {
    expect(fitsStoredBytes(100, 60, 40)).toBe(true);
    expect(fitsStoredBytes(100, 60, 41)).toBe(false);
    expect(fitsStoredBytes(null, 1e15, 1e9)).toBe(true);
    expect(fitsStoredBytes(100, -50, 100)).toBe(true);
  });

  it('over the stored bytes is 403 plan_limit_exceeded with what is used and what was asked', () => {
    const err = mediaBytesExceeded('starter', 100, 60, 41);
    expect(err.kind).toBe('forbidden');
    expect(err.code).toBe('plan_limit_exceeded');
    expect(err.details).toEqual({ resource: 'mediaBytes', plan: 'starter', limit: 100, used: 60, size: 41 });
  });
});
