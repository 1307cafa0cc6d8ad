import {
  formatMs,
  formatRate,
  fromLocalInput,
  replayProgress,
  replayWindow,
  toLocalInput,
  toneOf,
} from './webhook-view.mapper';

describe('toneOf', () => {
  it('colours delivery and attempt states', () => {
    expect(['delivered', 'pending', 'retrying', 'failed', 'cancelled'].map(toneOf)).toEqual([
      'ok',
      'wait',
      'wait',
      'bad',
      'off',
    ]);
  });
});

describe('formatRate and formatMs', () => {
  it('reads as people do, with a dash for nothing measured', () => {
    expect(formatRate(0.975, 'en')).toBe('97.5%');
    expect(formatRate(null)).toBe('—');
    expect(formatMs(87.4, 'en')).toBe('87 ms');
    expect(formatMs(1200, 'en')).toBe('1.2 s');
    expect(formatMs(undefined)).toBe('—');
  });
});

describe('datetime-local values', () => {
  it("are the viewer's wall clock both ways", () => {
    const date = new Date(2025, 0, 15, 9, 5);
    expect(toLocalInput(date)).toBe('2025-01-15T09:05');
    expect(fromLocalInput('2025-01-15T09:05')).toBe(date.toISOString());
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
  });
});

describe('replayWindow', () => {
  const now = new Date(2025, 0, 15, 12, 0);
  it('takes a start and an optional end after it', () => {
    expect(replayWindow('2025-01-15T10:00', '', now)).toEqual({
      ok: true,
      since: new Date(2025, 0, 15, 10, 0).toISOString(),
    });
    expect(replayWindow('2025-01-15T10:00', '2025-01-15T11:00', now)).toMatchObject({
      ok: true,
      until: new Date(2025, 0, 15, 11, 0).toISOString(),
    });
  });

  it('names the field to fix', () => {
    expect(replayWindow('', '', now)).toMatchObject({ ok: false, field: 'since' });
    expect(replayWindow('2025-01-16T10:00', '', now)).toMatchObject({ ok: false, field: 'since' });
    expect(replayWindow('2025-01-15T10:00', '2025-01-15T09:00', now)).toMatchObject({
      ok: false,
      field: 'until',
    });
  });
});

describe('replayProgress', () => {
  it('says how far a replay got', () => {
    const job = {
      jobId: 'j',
      since: '',
      until: '',
      partitionsDone: 1,
      partitions: 3,
      deliveries: 1,
      done: false,
    };
    expect(replayProgress(job)).toBe('Replaying: 1 of 3 partitions, 1 delivery so far.');
    expect(replayProgress({ ...job, done: true, deliveries: 4 })).toBe('Replay done: 4 deliveries created.');
  });
});
