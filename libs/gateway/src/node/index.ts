export { GatewayCommandRegistry } from './gateway-command.registry';
export type { GatewayCommandHandler, GatewaySession } from './gateway-command.registry';
export { GatewayNode, GATEWAY_GROUP } from './gateway.node';
export { GatewayNodeIdentity } from './gateway-node.identity';
export { NodeLivenessService, NODE_STALE_MS } from './node-liveness.service';
