/**
 * In-process signals of a gateway node (EventEmitter2), for features plugged into the gateway
 * role that must react to what happens on this node without a round trip through Kafka.
 */
export const GATEWAY_SIGNALS = {
  /** A connection running here became `ready`; emitted once Kafka has its `connection.ready`. */
  connectionReady: 'gateway.connection.ready',
} as const;

export interface ConnectionReadySignal {
  connectionId: string;
  accountId: string;
}

/** The signal of a `connection.ready` event this node published. */
export function readySignal(event: { connectionId?: string; accountId: string }): ConnectionReadySignal {
  return { connectionId: event.connectionId!, accountId: event.accountId };
}
