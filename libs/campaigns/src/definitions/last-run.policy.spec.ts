import { lastRunFilter, latestRuns, runStateOf, toLastRunView } from './last-run.policy';

const run = (campaignId: string, iso: string, kind: 'scheduled' | 'manual' = 'scheduled') => ({
  _id: `${campaignId}_${iso}`,
  campaignId,
  kind,
  occurrence: new Date(iso),
});

describe('last run of each campaign', () => {
  it('reads the state from the strongest mark, as the run report does', () => {
    expect(runStateOf(new Set())).toBe('planning');
    expect(runStateOf(new Set(['planned']))).toBe('running');
    expect(runStateOf(new Set(['planned', 'completed']))).toBe('completed');
    expect(runStateOf(new Set(['planned', 'completed', 'cancelled']))).toBe('cancelled');
  });

  it('picks the latest occurrence per campaign whatever the order', () => {
    const a1 = run('cmp_a', '2026-12-01T09:00:00Z');
    const a2 = run('cmp_a', '2026-12-08T09:00:00Z');
    const b = run('cmp_b', '2026-12-03T10:00:00Z', 'manual');
    const latest = latestRuns([a1, b, a2]);
    expect([...latest.entries()]).toEqual([
      ['cmp_a', a2],
      ['cmp_b', b],
    ]);
    expect(toLastRunView(a2, new Set(['planned']))).toEqual({
      id: a2._id,
      state: 'running',
      kind: 'scheduled',
      occurrence: '2026-12-08T09:00:00.000Z',
    });
  });

  it('bounds campaigns with a cursor by it and reads the others whole, in one filter', () => {
    const at = new Date('2026-12-08T09:00:00Z');
    expect(lastRunFilter('acc_1', ['cmp_a', 'cmp_b'], new Map())).toEqual({
      accountId: 'acc_1',
      campaignId: { $in: ['cmp_a', 'cmp_b'] },
    });
    expect(lastRunFilter('acc_1', ['cmp_a', 'cmp_b'], new Map([['cmp_a', at]]))).toEqual({
      accountId: 'acc_1',
      campaignId: { $in: ['cmp_a', 'cmp_b'] },
      $or: [{ campaignId: { $in: ['cmp_b'] } }, { campaignId: 'cmp_a', occurrence: { $gte: at } }],
    });
    expect(lastRunFilter('acc_1', ['cmp_a'], new Map([['cmp_a', at]]))).toEqual({
      accountId: 'acc_1',
      campaignId: { $in: ['cmp_a'] },
      $or: [{ campaignId: 'cmp_a', occurrence: { $gte: at } }],
    });
  });
});
