import { DomainError } from '@wwb/runtime';

/** A sendAt this far in the past is still taken (a client clock slightly behind): sent at once. */
export const SEND_AT_PAST_TOLERANCE_MS = 60_000;
/** Messages are scheduled at most this far ahead. */
export const SEND_AT_MAX_AHEAD_MS = 366 * 24 * 3_600_000;

/** ISO 8601 with a zone (Z or ±hh:mm): a time without one would mean a different instant per server. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant a message is to be sent: 400 `invalid_send_at` (not an ISO 8601 time with a zone),
 * `send_at_in_past` (more than a minute ago) or `send_at_too_far` (more than 366 days ahead).
 */
export function parseSendAt(raw: unknown, now: Date): Date {
  if (typeof raw !== 'string' || !ISO_WITH_ZONE.test(raw)) {
    throw DomainError.invalid(
      'invalid_send_at',
      'sendAt must be an ISO 8601 time with a zone, e.g. 2026-12-24T09:00:00+01:00 or 2026-12-24T08:00:00Z',
    );
  }
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()) || !isCalendarTime(raw)) {
    throw DomainError.invalid('invalid_send_at', `sendAt ${raw} is not a real date and time`);
  }
  if (at.getTime() < now.getTime() - SEND_AT_PAST_TOLERANCE_MS) {
    throw DomainError.invalid('send_at_in_past', `sendAt ${raw} is in the past; omit sendAt to send now`);
  }
  if (at.getTime() > now.getTime() + SEND_AT_MAX_AHEAD_MS) {
    throw DomainError.invalid('send_at_too_far', 'sendAt may be at most 366 days ahead');
  }
  return at;
}

/** Date rolls 2026-02-30 over to March 2nd: the written date and time must exist as written. */
function isCalendarTime(raw: string): boolean {
  const [y, mo, d, h, mi] = raw.slice(0, 16).split(/[-T:]/).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h <= 23 && mi <= 59;
}
