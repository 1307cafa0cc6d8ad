import { frequencyCapAllows, nextAllowedAt } from './frequency-cap.policy';

const NOW = new Date('2025-06-10T12:00:00Z');
const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * 3_600_000);

describe('frequency cap per contact', () => {
  const twoPerDay = { max: 2, perHours: 24 };

  it('allows while fewer than max sends are in the window', () => {
    expect(frequencyCapAllows([], twoPerDay, NOW)).toBe(true);
    expect(frequencyCapAllows([hoursAgo(3)], twoPerDay, NOW)).toBe(true);
    expect(nextAllowedAt([hoursAgo(3)], twoPerDay, NOW)).toBe(NOW);
  });

  it('refuses at max and gives the moment the oldest counted send leaves the window', () => {
    const sends = [hoursAgo(1), hoursAgo(23)]; // unsorted on purpose
    expect(frequencyCapAllows(sends, twoPerDay, NOW)).toBe(false);
    const next = nextAllowedAt(sends, twoPerDay, NOW);
    expect(next).toEqual(new Date('2025-06-10T13:00:00Z'));
    expect(frequencyCapAllows(sends, twoPerDay, next)).toBe(true);
    expect(frequencyCapAllows(sends, twoPerDay, new Date(next.getTime() - 1))).toBe(false);
  });

  it('well over the cap waits until enough sends have left', () => {
    const sends = [hoursAgo(20), hoursAgo(10), hoursAgo(5), hoursAgo(2)];
    // Three must leave for one more to fit under max 2: the one sent 5 h ago leaves in 19 h.
    expect(nextAllowedAt(sends, twoPerDay, NOW)).toEqual(new Date(NOW.getTime() + 19 * 3_600_000));
  });

  it('a send exactly perHours ago no longer counts', () => {
    expect(frequencyCapAllows([hoursAgo(24), hoursAgo(1)], twoPerDay, NOW)).toBe(true);
  });

  it('sends already scheduled after now count', () => {
    const scheduled = new Date(NOW.getTime() + 3_600_000);
    expect(frequencyCapAllows([scheduled], { max: 1, perHours: 24 }, NOW)).toBe(false);
    expect(nextAllowedAt([scheduled], { max: 1, perHours: 24 }, NOW)).toEqual(
      new Date(NOW.getTime() + 25 * 3_600_000),
    );
  });

  it('no cap allows everything', () => {
    const many = Array.from({ length: 50 }, (_, i) => hoursAgo(i / 10));
    expect(frequencyCapAllows(many, null, NOW)).toBe(true);
    expect(nextAllowedAt(many, null, NOW)).toBe(NOW);
  });
});
