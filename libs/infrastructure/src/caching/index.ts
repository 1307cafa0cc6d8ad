export * from './refresh-ahead.store';
