// Analytics: daily counters of messages, campaigns and API usage (issue 10 §4).
export * from './analytics.module';
export * from './counters';
export * from './counting';
export * from './reports';
export * from './usage';
