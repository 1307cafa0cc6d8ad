import { CronExpression } from './cron-expression.policy';
import { formatWall } from './wall-time.policy';

/** The first `n` wall times of `expression` from `from` (a wall time written as ISO). */
function walls(expression: string, from: string, n: number): string[] {
  const out: string[] = [];
  for (const wall of new CronExpression(expression).wallsFrom(Date.parse(`${from}Z`))) {
    out.push(formatWall(wall));
    if (out.length === n) break;
  }
  return out;
}

describe('CronExpression', () => {
  it('starts at `from` inclusive and goes up without repeats', () => {
    expect(walls('0 9 * * *', '2026-01-01T09:00', 3)).toEqual([
      '2026-01-01T09:00',
      '2026-01-02T09:00',
      '2026-01-03T09:00',
    ]);
    expect(walls('0 9 * * *', '2026-01-01T09:01', 1)).toEqual(['2026-01-02T09:00']);
  });

  it('names are case-insensitive and 7 is Sunday like 0', () => {
    // 2026-01-04 is a Sunday.
    expect(walls('0 10 * jan sun', '2026-01-01T00:00', 2)).toEqual(['2026-01-04T10:00', '2026-01-11T10:00']);
    expect(walls('0 10 * * 7', '2026-01-01T00:00', 1)).toEqual(['2026-01-04T10:00']);
    expect(walls('0 10 * * 0', '2026-01-01T00:00', 1)).toEqual(['2026-01-04T10:00']);
  });

  it('a start with a step runs to the end of the field ("5/20" is 5, 25, 45)', () => {
    expect(walls('0 5/8 * * *', '2026-01-01T00:00', 4)).toEqual([
      '2026-01-01T05:00',
      '2026-01-01T13:00',
      '2026-01-01T21:00',
      '2026-01-02T05:00',
    ]);
  });

  it('both day fields restricted: a day matching either runs (Vixie cron)', () => {
    // The 13th, or any Friday: 2026-02-06 (Fri), 2026-02-13 (Fri and 13th, once), 2026-02-20 (Fri).
    expect(walls('0 9 13 * FRI', '2026-02-01T00:00', 4)).toEqual([
      '2026-02-06T09:00',
      '2026-02-13T09:00',
      '2026-02-20T09:00',
      '2026-02-27T09:00',
    ]);
    // One day field a star: only the other counts.
    expect(walls('0 9 13 * *', '2026-02-01T00:00', 2)).toEqual(['2026-02-13T09:00', '2026-03-13T09:00']);
    expect(walls('0 9 */10 * *', '2026-02-01T00:00', 3)).toEqual([
      '2026-02-01T09:00',
      '2026-02-11T09:00',
      '2026-02-21T09:00',
    ]);
  });

  it('lists with ranges, and 29 February only in leap years', () => {
    expect(walls('30 8,12-13 1 1 *', '2026-01-01T00:00', 4)).toEqual([
      '2026-01-01T08:30',
      '2026-01-01T12:30',
      '2026-01-01T13:30',
      '2027-01-01T08:30',
    ]);
    expect(walls('0 9 29 2 *', '2026-01-01T00:00', 2)).toEqual(['2028-02-29T09:00', '2032-02-29T09:00']);
  });

  it('a rule that never matches ends instead of searching forever', () => {
    expect(walls('0 9 31 4 *', '2026-01-01T00:00', 1)).toEqual([]);
  });
});
