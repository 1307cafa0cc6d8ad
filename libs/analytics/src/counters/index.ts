export * from './analytics-counters.schema';
export { AnalyticsCountersRepository } from './analytics-counters.repository';
export type { CountersWrite } from './analytics-counters.repository';
