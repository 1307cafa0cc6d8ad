import { ConnectionPacer, emptyPacerState, PaceContext, PacerState } from './connection-pacer.store';
import { parsePacing, PacingSettings } from './pacing.policy';

/** mulberry32: a small seeded generator, so every run draws the same jitter. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WARM: PaceContext = { numberAgeDays: 30, capZone: 'Europe/Berlin' };
const at = (iso: string): Date => new Date(iso);

/** Sends `count` messages as fast as the pacer lets them go, from `start`; returns the send times. */
function drive(pacer: ConnectionPacer, start: Date, count: number, ctx: PaceContext = WARM): Date[] {
  const sent: Date[] = [];
  let now = start;
  for (let i = 0; i < count; i++) {
    now = pacer.nextSendAt(now, ctx);
    pacer.recordSent(now, ctx);
    sent.push(now);
  }
  return sent;
}

const gapsOf = (times: Date[]): number[] => times.slice(1).map((t, i) => t.getTime() - times[i].getTime());

/** Pacing with only the cap under test, so other limits do not blur the measurement. */
const only = (patch: Partial<PacingSettings>): PacingSettings =>
  parsePacing({ pauseEvery: null, warmup: [], quietHours: null, frequencyCap: null, ...patch });

describe('ConnectionPacer', () => {
  it('the first message may go at once', () => {
    const pacer = new ConnectionPacer(parsePacing({}), emptyPacerState(), seeded(1));
    const now = at('2025-06-10T10:00:00Z');
    expect(pacer.nextSendAt(now, WARM)).toEqual(now);
  });

  it('at 6/min with 30% jitter every measured gap is 7 to 13 s, and they vary', () => {
    const pacer = new ConnectionPacer(
      only({ messagesPerMinute: 6, jitter: 0.3 }),
      emptyPacerState(),
      seeded(42),
    );
    const gaps = gapsOf(drive(pacer, at('2025-06-10T10:00:00Z'), 200));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(7_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(13_000);
    expect(new Set(gaps).size).toBeGreaterThan(100);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(9_000);
    expect(mean).toBeLessThan(11_000);
  });

  it('the jitter bounds are reached by the extremes of random', () => {
    const lowest = new ConnectionPacer(only({ messagesPerMinute: 6, jitter: 0.3 }), undefined, () => 0);
    expect(gapsOf(drive(lowest, at('2025-06-10T10:00:00Z'), 3))).toEqual([7_000, 7_000]);
    const highest = new ConnectionPacer(
      only({ messagesPerMinute: 6, jitter: 0.3 }),
      undefined,
      () => 0.999999,
    );
    expect(gapsOf(drive(highest, at('2025-06-10T10:00:00Z'), 3))).toEqual([13_000, 13_000]);
    const none = new ConnectionPacer(only({ messagesPerMinute: 4, jitter: 0 }), undefined, seeded(3));
    expect(gapsOf(drive(none, at('2025-06-10T10:00:00Z'), 3))).toEqual([15_000, 15_000]);
  });

  it('asking twice gives the same time; a late caller may send at once', () => {
    const pacer = new ConnectionPacer(only({}), emptyPacerState(), seeded(7));
    const t0 = at('2025-06-10T10:00:00Z');
    pacer.recordSent(t0, WARM);
    const first = pacer.nextSendAt(t0, WARM);
    expect(pacer.nextSendAt(t0, WARM)).toEqual(first);
    expect(pacer.nextSendAt(new Date(t0.getTime() + 5_000), WARM)).toEqual(first);
    const late = at('2025-06-10T11:00:00Z');
    expect(pacer.nextSendAt(late, WARM)).toEqual(late);
  });

  it('pauses 10 min after every 40 sends', () => {
    const pacer = new ConnectionPacer(
      only({ pauseEvery: 40, pauseMinutes: 10 }),
      emptyPacerState(),
      seeded(9),
    );
    const times = drive(pacer, at('2025-06-10T10:00:00Z'), 121);
    const gaps = gapsOf(times);
    const long = gaps.map((g, i) => ({ g, after: i + 1 })).filter(({ g }) => g > 13_000);
    expect(long).toEqual([
      { g: 600_000, after: 40 },
      { g: 600_000, after: 80 },
      { g: 600_000, after: 120 },
    ]);
  });

  describe('daily cap', () => {
    it('moves to the next local day in Asia/Kolkata (+05:30), not the UTC day', () => {
      const ctx = { numberAgeDays: 30, capZone: 'Asia/Kolkata' };
      const pacer = new ConnectionPacer(only({ dailyCap: 3 }), emptyPacerState(), seeded(11));
      const times = drive(pacer, at('2025-06-10T23:50:00+05:30'), 5, ctx);
      // Three on the 10th (Kolkata), then the 11th starts at 00:00 IST = 18:30 UTC on the 10th.
      expect(times[3]).toEqual(at('2025-06-10T18:30:00Z'));
      expect(times[4].getTime() - times[3].getTime()).toBeLessThanOrEqual(13_000);
      expect(pacer.state()).toMatchObject({ dayKey: '2025-06-11', sentToday: 2 });
    });

    it('moves to the next local day across the Berlin spring DST change', () => {
      const pacer = new ConnectionPacer(only({ dailyCap: 2 }), emptyPacerState(), seeded(12));
      const times = drive(pacer, at('2025-03-30T20:00:00+02:00'), 3);
      expect(times[2]).toEqual(at('2025-03-31T00:00:00+02:00'));
    });

    it('a day on which the clocks went back lasts 25 hours (Berlin autumn)', () => {
      const pacer = new ConnectionPacer(only({ dailyCap: 2 }), emptyPacerState(), seeded(13));
      const times = drive(pacer, at('2025-10-26T00:10:00+02:00'), 3);
      expect(times[2]).toEqual(at('2025-10-27T00:00:00+01:00'));
      expect(times[2].getTime() - at('2025-10-26T00:00:00+02:00').getTime()).toBe(25 * 3_600_000);
    });

    it('warm-up: a number on its first day stops at 20, then continues the next day', () => {
      const pacer = new ConnectionPacer(
        only({ warmup: [20, 40, 80, 150, 250] }),
        emptyPacerState(),
        seeded(14),
      );
      const fresh = { numberAgeDays: 0, capZone: 'Europe/Berlin' };
      const times = drive(pacer, at('2025-06-10T10:00:00+02:00'), 20, fresh);
      expect(times[19].getTime()).toBeLessThan(at('2025-06-10T10:05:00+02:00').getTime());
      expect(pacer.usage(times[19], fresh)).toMatchObject({ sentToday: 20, dailyCap: 20, remainingToday: 0 });
      const [nextDay] = drive(pacer, times[19], 1, { ...fresh, numberAgeDays: 0 });
      expect(nextDay).toEqual(at('2025-06-11T00:00:00+02:00'));
      expect(pacer.usage(nextDay, { ...fresh, numberAgeDays: 1 })).toMatchObject({
        sentToday: 1,
        dailyCap: 40,
      });
    });

    it('a warmed-up number keeps going past the warm-up caps', () => {
      const pacer = new ConnectionPacer(only({ warmup: [20, 40] }), emptyPacerState(), seeded(15));
      const times = drive(pacer, at('2025-06-10T10:00:00+02:00'), 60, { numberAgeDays: 2, capZone: 'UTC' });
      expect(Math.max(...gapsOf(times))).toBeLessThanOrEqual(13_000);
    });
  });

  it('state round-trips through JSON: a new pacer continues the pace, pause and day count', () => {
    const settings = only({ pauseEvery: 40, pauseMinutes: 10, dailyCap: 100 });
    const a = new ConnectionPacer(settings, emptyPacerState(), seeded(21));
    const times = drive(a, at('2025-06-10T10:00:00Z'), 40);
    const saved = JSON.stringify(a.state());
    const b = new ConnectionPacer(settings, JSON.parse(saved) as PacerState, seeded(22));
    const resumeAt = times[39];
    // The 40th send started the pause: the restarted pacer honours it.
    expect(b.nextSendAt(resumeAt, WARM)).toEqual(new Date(resumeAt.getTime() + 600_000));
    expect(b.usage(resumeAt, WARM)).toMatchObject({
      sentToday: 40,
      remainingToday: 60,
      pausedUntil: new Date(resumeAt.getTime() + 600_000),
    });
    drive(b, resumeAt, 60);
    const next = b.nextSendAt(resumeAt, WARM);
    expect(next).toEqual(at('2025-06-11T00:00:00+02:00'));
  });

  it('state() is a copy', () => {
    const pacer = new ConnectionPacer(only({}), emptyPacerState(), seeded(23));
    pacer.recordSent(at('2025-06-10T10:00:00Z'), WARM);
    const s = pacer.state();
    s.sentToday = 99;
    expect(pacer.state().sentToday).toBe(1);
  });

  it.each<[string, Partial<PacerState>]>([
    ['sentToday', { sentToday: -1 }],
    ['sinceLastPause', { sinceLastPause: 1.5 }],
    ['lastSentAt', { lastSentAt: 'yesterday' }],
    ['pausedUntil', { pausedUntil: 'soon' }],
    ['dayKey', { dayKey: '10/06/2025' }],
    ['nextGapMs', { nextGapMs: -5 }],
  ])('a corrupt stored state is 400 invalid_pacer_state naming %s', (field, patch) => {
    expect(() => new ConnectionPacer(only({}), { ...emptyPacerState(), ...patch })).toThrow(
      expect.objectContaining({ code: 'invalid_pacer_state', details: { field } }),
    );
  });

  it('an unknown cap zone is 400 invalid_time_zone', () => {
    const pacer = new ConnectionPacer(only({}), emptyPacerState(), seeded(24));
    expect(() =>
      pacer.nextSendAt(at('2025-06-10T10:00:00Z'), { numberAgeDays: 1, capZone: 'Nowhere/Else' }),
    ).toThrow(expect.objectContaining({ code: 'invalid_time_zone' }));
  });
});
