export { WebhookStatsModule } from './webhook-stats.module';
export { WebhookStatsRecorder } from './webhook-stats.recorder';
export { WebhookStatsRepository } from './webhook-stats.repository';
export type { StatsIncrement } from './webhook-stats.repository';
export { WebhookStatsService } from './webhook-stats.service';
export { statsCollectionOf, statsIdOf, hoursOf } from './webhook-stats.schema';
export type { HourCounters, WebhookStatsRecord } from './webhook-stats.schema';
export { delayBucketOf, histogramPercentile } from './stats-histogram';
