import { DomainError } from '@wwb/runtime';
import type { ConcurrentResource } from './plan.value-object';

interface QuotaRule {
  /** The 429 code of the resource. */
  code: string;
  /** What the account has too many of, for the message. */
  what: string;
  /** Retry-After (seconds) suggested to the caller: about how long such a unit is usually held. */
  retryAfterSeconds: number;
}

/**
 * What an account gets when it holds its plan's limit of a resource held for a while: 429 (the
 * condition passes once some are done), with a code per resource and the limit in `details`.
 */
export const QUOTA_RULES: Readonly<Record<ConcurrentResource, QuotaRule>> = {
  pendingMessages: {
    code: 'too_many_pending_messages',
    what: 'messages waiting to be sent',
    retryAfterSeconds: 5,
  },
  sseStreams: { code: 'too_many_streams', what: 'live event streams open', retryAfterSeconds: 5 },
  webhookJobs: {
    code: 'too_many_webhook_jobs',
    what: 'webhook redelivery or replay jobs running',
    retryAfterSeconds: 10,
  },
  mediaFetches: {
    code: 'too_many_media_fetches',
    what: 'media URL fetches in flight',
    retryAfterSeconds: 2,
  },
  scheduledMessages: {
    code: 'too_many_scheduled_messages',
    what: 'messages scheduled and not sent yet',
    retryAfterSeconds: 60,
  },
  bulkJobs: {
    code: 'too_many_bulk_jobs',
    what: 'bulk send jobs not finished yet',
    retryAfterSeconds: 60,
  },
};

export function quotaExceeded(resource: ConcurrentResource, plan: string, limit: number): DomainError {
  const rule = QUOTA_RULES[resource];
  return new DomainError(
    'limit_reached',
    rule.code,
    `This account already has ${limit} ${rule.what}, the most its ${plan} plan allows; retry once some are done`,
    { resource, plan, limit, retryAfterSeconds: rule.retryAfterSeconds },
  );
}

/** Whether `adding` more bytes fit under a stored-bytes limit (`null` = unlimited). */
export function fitsStoredBytes(limit: number | null, used: number, adding: number): boolean {
  return limit === null || Math.max(0, used) + adding <= limit;
}

/** 403: storing this would take the account over its plan's stored-media bytes (a quota, not a passing condition). */
export function mediaBytesExceeded(plan: string, limit: number, used: number, adding: number): DomainError {
  return new DomainError(
    'forbidden',
    'plan_limit_exceeded',
    `The ${plan} plan allows at most ${limit} bytes of stored media; ${Math.max(0, used)} are used and this adds ${adding}`,
    { resource: 'mediaBytes', plan, limit, used: Math.max(0, used), size: adding },
  );
}
