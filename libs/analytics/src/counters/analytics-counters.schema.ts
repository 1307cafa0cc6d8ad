/** What analytics counts (per hour; `skipped` per reason). See docs/analytics.md for each meaning. */
export const COUNTED = [
  'targeted',
  'sent',
  'delivered',
  'read',
  'failed',
  'received',
  'replied',
  'opted_out',
] as const;
export type Counted = (typeof COUNTED)[number];

export type HourCounters = Partial<Record<Counted, number>> & { skipped?: Record<string, number> };

/** What a counters document is about. */
export const COUNTER_SCOPES = ['account', 'connection', 'campaign', 'run'] as const;
export type CounterScope = (typeof COUNTER_SCOPES)[number];

/** Day tables of counters (see @wwb/infrastructure day-tables): `analytics_counters_YYYYMMDD`. */
export const COUNTERS_PREFIX = 'analytics_counters_';

/**
 * The counts of one scope (account, connection, campaign or run) from one partition of the
 * events topic during one UTC day: `_id` = `<scope>:<scopeId>/<partition>`, hour fields
 * `h00`..`h23` (HourCounters).
 * - One writer per document: a partition is consumed by one member of the `analytics` group,
 *   and FerretDB applies `$inc` as read-modify-write (two writers would lose counts).
 * - Exactly once: `o` is the last offset of the partition counted into this document; a
 *   redelivered event (a crash before the commit) at or below it is not counted again, and a
 *   write is conditioned on the `o` it read, so a second writer during a rebalance makes the
 *   chunk start over instead of losing or doubling counts.
 */
export interface CountersRecord {
  _id: string;
  accountId: string;
  scope: CounterScope;
  scopeId: string;
  partition: number;
  o: number;
}

export const counterIdOf = (scope: CounterScope, scopeId: string, partition: number): string =>
  `${scope}:${scopeId}/${partition}`;

/** The `_id` range of every partition's document of a scope ('0' sorts right after '/'). */
export const counterRangeOf = (scope: CounterScope, scopeId: string): { $gte: string; $lt: string } => ({
  $gte: `${scope}:${scopeId}/`,
  $lt: `${scope}:${scopeId}0`,
});
