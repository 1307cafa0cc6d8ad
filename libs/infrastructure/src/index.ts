export * from './batching';
export * from './leases';
export * from './claims';
export * from './mongo';
export * from './http';
export * from './with-timeout';
export * from './counters';
export * from './quotas';
