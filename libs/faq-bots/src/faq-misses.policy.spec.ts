import { missesInRow, outcomeId, OutcomeMark, utcDay } from './faq-misses.policy';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const mark = (kind: OutcomeMark['kind'], atOffsetMs: number, recordedOffsetMs = atOffsetMs): OutcomeMark => ({
  kind,
  at: new Date(T0 + atOffsetMs),
  recordedAt: new Date(T0 + recordedOffsetMs),
});

describe('missesInRow', () => {
  it('counts the misses since the last answer', () => {
    expect(missesInRow([])).toBe(0);
    expect(missesInRow([mark('missed', 0)])).toBe(1);
    expect(missesInRow([mark('missed', 0), mark('missed', 1000), mark('missed', 2000)])).toBe(3);
    expect(missesInRow([mark('missed', 0), mark('answered', 1000), mark('missed', 2000)])).toBe(1);
    expect(missesInRow([mark('missed', 0), mark('missed', 1000), mark('answered', 2000)])).toBe(0);
  });

  it('starts again after a hand-off', () => {
    expect(missesInRow([mark('missed', 0), mark('missed', 1000), mark('handoff', 2000)])).toBe(0);
    expect(missesInRow([mark('missed', 0), mark('handoff', 1000), mark('missed', 2000)])).toBe(1);
  });

  it('orders by message time whatever order the rows come in', () => {
    expect(missesInRow([mark('missed', 2000), mark('answered', 1000), mark('missed', 3000)])).toBe(2);
  });

  it('takes a hand-off with the time of the miss that caused it as the later outcome', () => {
    expect(missesInRow([mark('missed', 0), mark('missed', 1000, 1000), mark('handoff', 1000, 1000)])).toBe(0);
    expect(missesInRow([mark('handoff', 1000, 1005), mark('missed', 1000, 1000)])).toBe(0);
  });
});

describe('outcome rows', () => {
  it('gives the same outcome of the same message the same id, and any difference another', () => {
    const at = new Date(T0);
    const id = outcomeId('faq_1', 'chat@c.us', 'missed', at, 'hello');
    expect(outcomeId('faq_1', 'chat@c.us', 'missed', new Date(T0), 'hello')).toBe(id);
    expect(outcomeId('faq_1', 'chat@c.us', 'handoff', at, 'hello')).not.toBe(id);
    expect(outcomeId('faq_1', 'chat@c.us', 'missed', new Date(T0 + 1), 'hello')).not.toBe(id);
    expect(outcomeId('faq_1', 'other@c.us', 'missed', at, 'hello')).not.toBe(id);
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('files an outcome under its UTC day', () => {
    expect(utcDay(new Date('2026-03-01T23:59:59.999-02:00'))).toBe('2026-03-02');
  });
});
