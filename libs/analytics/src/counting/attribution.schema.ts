/**
 * What the `analytics` consumer remembers between events, so that each status of a message
 * counts once and a reply or an opt-out is put down to the campaign message before it. Kept in
 * day tables of their own per events partition (`analytics_touches_p<partition>_YYYYMMDD`):
 * the partition's consumer is their only writer, each table stays small (FerretDB scans
 * tables), and tables older than ANALYTICS_ATTRIBUTION_DAYS are dropped whole.
 */
export const touchesPrefixOf = (partition: number): string => `analytics_touches_p${partition}_`;

/** A message this connection sent (message.sent), in the table of the day it was sent. */
export interface TouchRecord {
  /** `<connectionId>|<waMessageId>`. */
  _id: string;
  k: 't';
  /** The state key of its chat: `<connectionId>|<chatId>`. */
  c: string;
  accountId: string;
  connectionId: string;
  atMs: number;
  campaignId?: string;
  runId?: string;
}

/**
 * Something counted once (`<touch id>#delivered`, `run|<runId>#started`, ...), in the table of
 * its touch's day (or of the day it happened), with the state key it is loaded by.
 */
export interface MarkRecord {
  _id: string;
  k: 'm';
  c: string;
}

export type AttributionRecord = TouchRecord | MarkRecord;

/** A record to store, and the day of its table. */
export interface AttributionWrite {
  dayMs: number;
  record: AttributionRecord;
}
