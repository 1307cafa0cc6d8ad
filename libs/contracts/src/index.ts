export * from './event-envelope';
export * from './event-catalog';
export * from './event-validator';
