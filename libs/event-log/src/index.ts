export * from './event-log.module';
export * from './event-log.repository';
export * from './event-log.consumer';
export * from './stored-event.schema';
export * from './event-log-retention.runner';
