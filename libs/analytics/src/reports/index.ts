export { AnalyticsController } from './analytics.controller';
export * from './analytics.dto';
export * from './analytics-metrics.mapper';
export { AnalyticsQueryService } from './analytics-query.service';
export type { AnalyticsSeries } from './analytics-query.service';
export * from './analytics-range.policy';
export { AnalyticsReportService } from './analytics-report.service';
export type { KeyUsage, ScopedSeries, UsageFigures } from './analytics-report.service';
