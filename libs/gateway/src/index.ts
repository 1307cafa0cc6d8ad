export * from './gateway.module';
export { GatewayCommandRegistry } from './gateway-command.registry';
export type { GatewayCommandHandler, GatewaySession } from './gateway-command.registry';
export { GatewayNode, GATEWAY_GROUP } from './gateway.node';
export { GatewayNodeIdentity } from './gateway-node.identity';
export { ConnectionSupervisor } from './connection.supervisor';
export { BRIDGED_EVENT_TYPES } from './driver-event.mapper';
export { OfflineDriver } from './offline.driver';
