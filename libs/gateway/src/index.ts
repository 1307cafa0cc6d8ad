export * from './gateway.module';
export { GATEWAY_SIGNALS } from './gateway.signals';
export type { ConnectionReadySignal } from './gateway.signals';
export * from './node';
export * from './sessions';
export * from './events';
