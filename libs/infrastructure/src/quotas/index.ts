export * from './quota-slot.schema';
export * from './quota-slot.repository';
export * from './usage-counter.schema';
export * from './usage-counter.repository';
export * from './quotas.module';
export * from './slot-picker';
export * from './external-holds.store';
