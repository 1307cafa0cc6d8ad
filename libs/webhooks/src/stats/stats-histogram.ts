/**
 * Event-to-first-attempt delays kept as a sparse histogram whose keys are the delay in ms rounded
 * UP to two significant digits (0-99 ms exact, then 100, 110, ..., 990, 1000, 1100, ...): at most
 * ~90 keys per decade, a key at most 10 % above the delays it counts. Hour buckets of these can
 * be added together, so a 30-day percentile costs 30 x 24 small maps instead of every attempt.
 */
export type DelayHistogram = Record<string, number>;

/** The histogram key of a delay: the delay in whole ms rounded up to two significant digits. */
export function delayBucketOf(ms: number): number {
  const v = Math.max(0, Math.ceil(ms));
  if (v < 100) return v;
  const scale = 10 ** (String(v).length - 2);
  return Math.ceil(v / scale) * scale;
}

/** Adds `from` into `into` (in place). */
export function addHistogram(into: DelayHistogram, from: DelayHistogram | undefined): DelayHistogram {
  if (!from) return into;
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  return into;
}

/**
 * The q-quantile as `percentile()` of the delivery service defines it over the sorted values
 * (the ceil(q*n)-th smallest), rounded as the keys are. Because rounding up keeps the order,
 * this is exactly `delayBucketOf(exact quantile)`.
 */
export function histogramPercentile(h: DelayHistogram, q: number): number | null {
  const keys = Object.keys(h)
    .map(Number)
    .sort((a, b) => a - b);
  let total = 0;
  for (const k of keys) total += h[String(k)] ?? 0;
  if (total === 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil(q * total)));
  let seen = 0;
  for (const k of keys) {
    seen += h[String(k)] ?? 0;
    if (seen >= rank) return k;
  }
  return keys[keys.length - 1]!;
}
