import { dayTableOf, hourFieldsOf } from '@wwb/infrastructure';
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

/** The collection of the UTC day of `ms`: `webhook_stats_YYYYMMDD` (a day table, see @wwb/infrastructure). */
export const statsCollectionOf = (ms: number): string => dayTableOf(STATS_COLLECTION_PREFIX, ms);

export const statsIdOf = (endpointId: string, partition: number): string => `${endpointId}/${partition}`;

/** The hour counters of a stats document of the day starting at `dayMs`. */
export const hoursOf = (
  doc: WebhookStatsRecord,
  dayMs: number,
): { startMs: number; counters: HourCounters }[] => hourFieldsOf<HourCounters>(doc, dayMs);
