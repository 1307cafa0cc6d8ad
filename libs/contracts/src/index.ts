export * from './event-envelope';
export * from './event-catalog';
export * from './event-validator';
export * from './event-docs';
export * from './gateway-commands';
export * from './whatsapp-events.catalog';
export * from './webhook-events.catalog';
