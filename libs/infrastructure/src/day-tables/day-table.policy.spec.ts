import { dayOfTable, daysBetween, dayTableOf, hourFieldOf, hourFieldsOf } from './day-table.policy';

const DAY = 86_400_000;

describe('day tables', () => {
  it('names the table of the UTC day and reads the day back, for its own prefix only', () => {
    const ms = Date.UTC(2026, 11, 7, 23, 59, 59);
    expect(dayTableOf('stats_', ms)).toBe('stats_20261207');
    expect(dayOfTable('stats_', 'stats_20261207')).toBe(Date.UTC(2026, 11, 7));
    expect(dayOfTable('stats_p1_', 'stats_p10_20261207')).toBeUndefined();
    expect(dayOfTable('stats_', 'other_20261207')).toBeUndefined();
  });

  it('lists the UTC days of a range, both ends included, and the hour field of an instant', () => {
    const from = Date.UTC(2026, 11, 6, 22);
    expect(daysBetween(from, from + 3 * 3_600_000)).toEqual([Date.UTC(2026, 11, 6), Date.UTC(2026, 11, 7)]);
    expect(daysBetween(from, from)).toEqual([Date.UTC(2026, 11, 6)]);
    expect(hourFieldOf(Date.UTC(2026, 11, 7, 7, 30))).toBe('h07');
  });

  it('reads the hour fields of a day document with their start', () => {
    const day = Date.UTC(2026, 11, 7);
    const doc = { _id: 'x', h00: { n: 1 }, h23: { n: 2 }, h05: 3, other: { n: 9 } };
    expect(hourFieldsOf<{ n: number }>(doc, day)).toEqual([
      { startMs: day, counters: { n: 1 } },
      { startMs: day + DAY - 3_600_000, counters: { n: 2 } },
    ]);
  });
});
