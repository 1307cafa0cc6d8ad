import { addHistogram, delayBucketOf, DelayHistogram, histogramPercentile } from './stats-histogram';

/** The exact percentile over sorted values, as the stats API defined it before the counters. */
function exact(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

describe('delay histogram', () => {
  it('rounds up to two significant digits, exact under 100 ms', () => {
    expect(
      [0, 1, 7.2, 99, 100, 101, 109, 110, 999, 1000, 1001, 1234, 98_765, 86_400_000].map(delayBucketOf),
    ).toEqual([0, 1, 8, 99, 100, 110, 110, 110, 1000, 1000, 1100, 1300, 99_000, 87_000_000]);
    expect(delayBucketOf(-5)).toBe(0);
  });

  it('is never below the delay nor more than 10 % above it', () => {
    for (let v = 0; v < 200_000; v += 7) {
      const b = delayBucketOf(v);
      expect(b).toBeGreaterThanOrEqual(v);
      expect(b).toBeLessThanOrEqual(Math.max(v * 1.1, v + 1));
    }
  });

  it('gives the bucket of the exact percentile, also after adding hour buckets together', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const values = Array.from({ length: 5000 }, () => Math.floor(random() ** 3 * 90_000));
    const hours: DelayHistogram[] = [{}, {}, {}];
    values.forEach((v, i) => {
      const h = hours[i % 3]!;
      const k = String(delayBucketOf(v));
      h[k] = (h[k] ?? 0) + 1;
    });
    const all = hours.reduce((into, h) => addHistogram(into, h), {} as DelayHistogram);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.01, 0.5, 0.9, 0.99, 1]) {
      expect(histogramPercentile(all, q)).toBe(delayBucketOf(exact(sorted, q)));
    }
  });

  it('has no percentile when empty', () => {
    expect(histogramPercentile({}, 0.5)).toBeNull();
    expect(histogramPercentile({ '10': 0 }, 0.5)).toBeNull();
  });
});
