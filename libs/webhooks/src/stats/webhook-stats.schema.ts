import { DelayHistogram } from './stats-histogram';

/** One hour of one endpoint's attempts in one partition. */
export interface HourCounters {
  /** Attempts (cancellations are not attempts). */
  n?: number;
  /** Attempts that delivered (2xx). */
  ok?: number;
  /** First attempts (n = 1: of a delivery, a redelivery or a replay). */
  f?: number;
  /** First attempts by event-to-attempt delay (see stats-histogram.ts). */
  d?: DelayHistogram;
}

/**
 * Delivery figures of an endpoint, counted as attempts are stored (`GET /v1/webhooks/:id/stats`
 * reads these, never the attempt log): in the collection of the UTC day (`webhook_stats_YYYYMMDD`),
 * one document per endpoint and events partition, `_id` = `<endpointId>/<partition>`, with fields
 * `h00`..`h23` (HourCounters).
 * - Per partition: FerretDB applies `$inc` as read-modify-write, so two processes incrementing
 *   one document lose counts; a partition's attempts are written by the one worker holding its
 *   lease, so each document has one writer.
 * - Per day collection: FerretDB (SQLite) uses no index, not even for `_id` (every lookup scans
 *   the table); a day's table holds only that day's documents, so an increment scans a small
 *   table, a window reads one range per day, and retention drops whole days.
 */
export interface WebhookStatsRecord {
  _id: string;
  accountId: string;
  endpointId: string;
  partition: number;
}

export const STATS_COLLECTION_PREFIX = 'webhook_stats_';
const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The collection of the UTC day of `ms`: `webhook_stats_YYYYMMDD`. */
export const statsCollectionOf = (ms: number): string =>
  STATS_COLLECTION_PREFIX + new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/** The UTC midnight of a stats collection's day, or undefined for another name. */
export function dayOfStatsCollection(name: string): number | undefined {
  const m = /^webhook_stats_(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

export const statsIdOf = (endpointId: string, partition: number): string => `${endpointId}/${partition}`;

/** The field of the hour of `ms` in its day's document: `h00`..`h23`. */
export const hourFieldOf = (ms: number): string => `h${String(new Date(ms).getUTCHours()).padStart(2, '0')}`;

export const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
export const floorDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** The hour counters of a stats document of the day starting at `dayMs`. */
export function hoursOf(
  doc: WebhookStatsRecord,
  dayMs: number,
): { startMs: number; counters: HourCounters }[] {
  const fields = doc as unknown as Record<string, unknown>;
  const out: { startMs: number; counters: HourCounters }[] = [];
  for (let h = 0; h < 24; h++) {
    const counters = fields[`h${String(h).padStart(2, '0')}`];
    if (counters && typeof counters === 'object') {
      out.push({ startMs: dayMs + h * HOUR_MS, counters: counters as HourCounters });
    }
  }
  return out;
}
