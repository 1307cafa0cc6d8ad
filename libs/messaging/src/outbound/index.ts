export * from './message-status.rank';
export * from './outbound-message.repository';
export * from './outbound-message.schema';
export * from './quota-upkeep.runner';
export * from './pending-holds.registrar';
