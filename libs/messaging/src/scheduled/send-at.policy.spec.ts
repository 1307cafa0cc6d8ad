import { DomainError } from '@wwb/runtime';
import { parseSendAt } from './send-at.policy';

const now = new Date('2026-12-07T10:00:00Z');
const codeOf = (raw: unknown): string => {
  try {
    parseSendAt(raw, now);
  } catch (err) {
    return (err as DomainError).code;
  }
  return 'accepted';
};

describe('parseSendAt', () => {
  it('reads an ISO time with Z or an offset as that instant', () => {
    expect(parseSendAt('2026-12-24T09:00:00+01:00', now).toISOString()).toBe('2026-12-24T08:00:00.000Z');
    expect(parseSendAt('2026-12-07T10:05Z', now).toISOString()).toBe('2026-12-07T10:05:00.000Z');
    expect(parseSendAt('2026-12-07T10:05:00.250-05:30', now).toISOString()).toBe('2026-12-07T15:35:00.250Z');
  });

  it('accepts a time up to a minute ago (sent at once) and refuses an older one', () => {
    expect(parseSendAt('2026-12-07T09:59:30Z', now).toISOString()).toBe('2026-12-07T09:59:30.000Z');
    expect(codeOf('2026-12-07T09:58:59Z')).toBe('send_at_in_past');
  });

  it('refuses more than 366 days ahead', () => {
    expect(codeOf('2027-12-07T09:00:00Z')).toBe('accepted');
    expect(codeOf('2027-12-09T10:00:00Z')).toBe('send_at_too_far');
  });

  it.each([
    ['no zone', '2026-12-24T09:00:00'],
    ['a date only', '2026-12-24'],
    ['not a date', 'tomorrow'],
    ['a number', 1765101600000],
    ['an impossible date', '2026-02-30T09:00:00Z'],
    ['null', null],
  ])('refuses %s with invalid_send_at', (_, raw) => {
    expect(codeOf(raw)).toBe('invalid_send_at');
  });
});
