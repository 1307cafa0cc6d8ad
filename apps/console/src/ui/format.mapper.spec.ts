import { formatBytes, formatCount, formatDateTime, shareOf } from './format.mapper';

describe('formatDateTime', () => {
  it("shows an instant in the viewer's time zone", () => {
    const iso = '2025-01-15T12:30:00.000Z';
    expect(formatDateTime(iso, { locale: 'en-GB', timeZone: 'UTC' })).toBe('15 Jan 2025, 12:30');
    expect(formatDateTime(iso, { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe('15 Jan 2025, 21:30');
    expect(formatDateTime(iso, { locale: 'en-GB', timeZone: 'America/New_York' })).toBe('15 Jan 2025, 07:30');
  });

  it('leaves a value that is no time as it is', () => {
    expect(formatDateTime('soon')).toBe('soon');
  });
});

describe('formatBytes and formatCount', () => {
  it('uses binary multiples', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(1536, 'de')).toBe('1,5 KB');
    expect(formatBytes(1024 ** 3, 'en')).toBe('1 GB');
  });

  it('groups digits by locale', () => {
    expect(formatCount(100000, 'en')).toBe('100,000');
    expect(formatCount(100000, 'de')).toBe('100.000');
  });
});

describe('shareOf', () => {
  it('is the used part of a limit, capped at 1, and null without a limit', () => {
    expect(shareOf(1, 4)).toBe(0.25);
    expect(shareOf(9, 4)).toBe(1);
    expect(shareOf(3, null)).toBeNull();
    expect(shareOf(0, 0)).toBe(0);
    expect(shareOf(1, 0)).toBe(1);
  });
});
