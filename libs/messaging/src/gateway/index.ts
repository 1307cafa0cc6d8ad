export * from './message-send.handler';
export * from './message-send.registrar';
export * from './message-send.schema';
export * from './message-status.producer';
export * from './send-claim.policy';
export * from './send-claim.repository';
export * from './sent-message-lookup.registrar';
