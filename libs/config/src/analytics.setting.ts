import { int, spec } from './setting.parsers';

/** Analytics settings (part of SETTINGS). */
export const ANALYTICS_SETTINGS = {
  ANALYTICS_REPLY_WINDOW_HOURS: spec({
    parse: int({ min: 1, max: 24 * 14 }),
    doc: 'An inbound message counts as a reply to the last campaign message of its chat sent at most this many hours before (and an opt-out as caused by it)',
  }),
  ANALYTICS_ATTRIBUTION_DAYS: spec({
    parse: int({ min: 1, max: 60 }),
    doc: 'How long analytics remembers each sent message to count its delivered and read statuses (once each) and to attribute replies; statuses arriving later are not counted. At least ANALYTICS_REPLY_WINDOW_HOURS',
  }),
  ANALYTICS_RETENTION_DAYS: spec({
    parse: int({ min: 1, max: 3650 }),
    doc: 'How long the daily analytics counters (GET /v1/analytics/...) are kept',
  }),
  API_USAGE_FLUSH_MS: spec({
    parse: int({ min: 100, max: 300000 }),
    doc: 'How often each API process writes its per-key request and message counts (a process killed meanwhile loses at most this much usage)',
  }),
} as const;
