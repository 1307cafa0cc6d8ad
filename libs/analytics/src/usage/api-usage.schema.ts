/** One hour of one API key's traffic as one process counted it. */
export interface UsageCounters {
  /** Requests answered (any status). */
  requests?: number;
  /** Messages accepted by `POST /v1/connections/:id/messages` (202, scheduled ones included). */
  messages?: number;
  /** Requests answered with a status of 400 or more. */
  errors?: number;
}

/**
 * API usage of a key (`analytics_usage_YYYYMMDD`, a day table: see @wwb/infrastructure
 * day-tables): one document per key and API process, `_id` = `<apiKeyId>/<processId>`, with
 * fields `h00`..`h23` (UsageCounters).
 * - Per process: FerretDB applies `$inc` as read-modify-write, so two processes incrementing one
 *   document lose counts; with the process in the id each document has exactly one writer, and
 *   a read adds the processes' documents together.
 * - The process id is new at every start, so a day holds one document per key and process run;
 *   reads filter the (small) day table by account.
 */
export interface ApiUsageRecord {
  _id: string;
  accountId: string;
  apiKeyId: string;
}

export const API_USAGE_PREFIX = 'analytics_usage_';

/** The route pattern (as routeLabel of @wwb/http gives it) whose 202 answers are sent messages. */
export const SEND_MESSAGE_ROUTE = '/v1/connections/:id/messages';

export const usageIdOf = (apiKeyId: string, processId: string): string => `${apiKeyId}/${processId}`;
