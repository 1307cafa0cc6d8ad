import { advances, currentStatus, MESSAGE_STATUSES, statusRank } from './message-status.rank';

describe('message status ranking', () => {
  it('orders queued < sent < failed < delivered < read < played', () => {
    const ranks = MESSAGE_STATUSES.map(statusRank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);
  });

  it('never goes backwards, whatever order the acks arrive in', () => {
    expect(currentStatus(['read', 'sent', 'delivered'])).toBe('read');
    expect(currentStatus(['delivered', 'sent'])).toBe('delivered');
    expect(currentStatus(['sent', 'sent'])).toBe('sent');
    expect(currentStatus([])).toBe('queued');
    expect(advances('read', 'delivered')).toBe(false);
    expect(advances('delivered', 'delivered')).toBe(false);
    expect(advances('sent', 'delivered')).toBe(true);
  });

  it('failed beats queued and sent, but not a delivery the phone confirmed', () => {
    expect(currentStatus(['sent', 'failed'])).toBe('failed');
    expect(currentStatus(['failed'])).toBe('failed');
    expect(currentStatus(['delivered', 'failed'])).toBe('delivered');
    expect(currentStatus(['failed', 'read'])).toBe('read');
    expect(advances('failed', 'sent')).toBe(false);
    expect(advances('played', 'failed')).toBe(false);
  });
});
