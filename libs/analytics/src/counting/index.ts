export { ANALYTICS_GROUP, AnalyticsConsumer } from './analytics.consumer';
export { ANALYTICS_RETENTION_LEASE, AnalyticsRetentionRunner } from './analytics-retention.runner';
export { AttributionRepository } from './attribution.repository';
export * from './attribution.schema';
export { countEvents, reasonField, stateKeyOf } from './event-counting.policy';
export type { CountedEvent, CountingResult, Increment } from './event-counting.policy';
