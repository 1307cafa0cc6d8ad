import { DomainError } from '@wwb/runtime';
import { DEFAULT_PACING, effectiveDailyCap, parsePacing } from './pacing.policy';

/** The error parsePacing throws for `input`, or a failure if it accepts it. */
function refusal(input: unknown): DomainError {
  try {
    parsePacing(input);
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('parsePacing', () => {
  it('defaults are the safe middle of the research numbers', () => {
    expect(parsePacing(undefined)).toEqual({
      messagesPerMinute: 6,
      jitter: 0.3,
      pauseEvery: 40,
      pauseMinutes: 10,
      dailyCap: 250,
      warmup: [20, 40, 80, 150, 250],
      quietHours: { start: '21:00', end: '09:00' },
      frequencyCap: { max: 1, perHours: 24 },
    });
    expect(parsePacing(null)).toEqual(parsePacing({}));
  });

  it('merges a partial object onto the defaults, nested objects included', () => {
    const s = parsePacing({ messagesPerMinute: 4, quietHours: { start: '22:00' }, frequencyCap: { max: 3 } });
    expect(s.messagesPerMinute).toBe(4);
    expect(s.jitter).toBe(0.3);
    expect(s.quietHours).toEqual({ start: '22:00', end: '09:00' });
    expect(s.frequencyCap).toEqual({ max: 3, perHours: 24 });
  });

  it('null turns a limit off; an empty warm-up means none', () => {
    const s = parsePacing({ pauseEvery: null, quietHours: null, frequencyCap: null, warmup: null });
    expect(s).toMatchObject({ pauseEvery: null, quietHours: null, frequencyCap: null, warmup: [] });
    expect(parsePacing({ warmup: [] }).warmup).toEqual([]);
  });

  it('merges onto a given base (stored settings being patched)', () => {
    const stored = parsePacing({ dailyCap: 100, quietHours: null });
    const patched = parsePacing({ jitter: 0.5 }, stored);
    expect(patched).toMatchObject({ dailyCap: 100, quietHours: null, jitter: 0.5 });
    // A nested object onto a base without one must be complete.
    expect(() => parsePacing({ quietHours: { start: '22:00' } }, stored)).toThrow(/quietHours\.end/);
  });

  it('never shares objects with the defaults', () => {
    const s = parsePacing({});
    (s.warmup as number[]).push(1);
    s.quietHours!.start = '00:00';
    expect(DEFAULT_PACING.warmup).toHaveLength(5);
    expect(DEFAULT_PACING.quietHours!.start).toBe('21:00');
  });

  it('accepts the bounds themselves', () => {
    expect(() =>
      parsePacing({
        messagesPerMinute: 60,
        jitter: 0.9,
        pauseEvery: 1,
        pauseMinutes: 240,
        dailyCap: 10_000,
        warmup: [1, 10_000],
        quietHours: { start: '00:00', end: '23:59' },
        frequencyCap: { max: 1, perHours: 720 },
      }),
    ).not.toThrow();
    expect(() =>
      parsePacing({ messagesPerMinute: 1, jitter: 0, pauseMinutes: 1, dailyCap: 1 }),
    ).not.toThrow();
  });

  it.each([
    ['pacing', 'not an object', 'must be an object'],
    ['pacing', [], 'must be an object'],
    ['speed', { speed: 5 }, 'not a pacing setting'],
    ['messagesPerMinute', { messagesPerMinute: 0 }, 'from 1 to 60'],
    ['messagesPerMinute', { messagesPerMinute: 61 }, 'from 1 to 60'],
    ['messagesPerMinute', { messagesPerMinute: '6' }, 'from 1 to 60'],
    ['messagesPerMinute', { messagesPerMinute: Number.NaN }, 'from 1 to 60'],
    ['jitter', { jitter: -0.1 }, 'from 0 to 0.9'],
    ['jitter', { jitter: 0.95 }, 'from 0 to 0.9'],
    ['pauseEvery', { pauseEvery: 0 }, 'whole number'],
    ['pauseEvery', { pauseEvery: 2.5 }, 'whole number'],
    ['pauseMinutes', { pauseMinutes: 0 }, 'from 1 to 240'],
    ['pauseMinutes', { pauseMinutes: 241 }, 'from 1 to 240'],
    ['pauseMinutes', { pauseMinutes: null }, 'from 1 to 240'],
    ['dailyCap', { dailyCap: 0 }, 'from 1 to 10000'],
    ['dailyCap', { dailyCap: 10_001 }, 'from 1 to 10000'],
    ['dailyCap', { dailyCap: 99.5 }, 'whole number'],
    ['warmup', { warmup: 20 }, 'list of daily caps'],
    ['warmup', { warmup: new Array(61).fill(10) }, 'at most 60 days'],
    ['warmup[1]', { warmup: [20, 0] }, 'from 1 to 10000'],
    ['quietHours', { quietHours: '21:00-09:00' }, 'or null'],
    ['quietHours', { quietHours: { start: '21:00', end: '21:00' } }, 'is empty'],
    ['quietHours.start', { quietHours: { start: '24:00' } }, 'HH:mm'],
    ['quietHours.end', { quietHours: { end: '9:00' } }, 'HH:mm'],
    ['quietHours.zone', { quietHours: { zone: 'UTC' } }, 'not a pacing setting'],
    ['frequencyCap', { frequencyCap: 3 }, 'or null'],
    ['frequencyCap.max', { frequencyCap: { max: 0 } }, 'whole number'],
    ['frequencyCap.perHours', { frequencyCap: { perHours: 721 } }, 'from 1 to 720'],
    ['frequencyCap.perHours', { frequencyCap: { perHours: 0.5 } }, 'from 1 to 720'],
    ['frequencyCap.days', { frequencyCap: { days: 1 } }, 'not a pacing setting'],
  ])('400 invalid_pacing naming %s for %j', (field, input, text) => {
    const err = refusal(input);
    expect(err).toMatchObject({ kind: 'invalid', code: 'invalid_pacing', details: { field } });
    expect(err.message).toContain(field);
    expect(err.message).toContain(text);
  });
});

describe('effectiveDailyCap', () => {
  const s = parsePacing({});

  it('follows the warm-up for a new number: day 1 (age 0) is 20', () => {
    expect([0, 1, 2, 3, 4, 5, 30].map((age) => effectiveDailyCap(s, age))).toEqual([
      20, 40, 80, 150, 250, 250, 250,
    ]);
    expect(effectiveDailyCap(s, 0.9)).toBe(20);
  });

  it('never exceeds the settled cap, and treats an unknown age as a new number', () => {
    const low = parsePacing({ dailyCap: 60 });
    expect(effectiveDailyCap(low, 2)).toBe(60);
    expect(effectiveDailyCap(low, 1)).toBe(40);
    expect(effectiveDailyCap(s, -3)).toBe(20);
    expect(effectiveDailyCap(s, Number.NaN)).toBe(20);
  });

  it('without warm-up the settled cap applies from day one', () => {
    expect(effectiveDailyCap(parsePacing({ warmup: [] }), 0)).toBe(250);
  });
});
