export { GatewayClient, GatewayRequestError } from './gateway.client';
export type { CommandTarget } from './gateway.client';
export { GatewayReplyRepository } from './gateway-reply.repository';
export { SentMessageLookupClient } from './sent-message-lookup.client';
export type { SentMessageLookup } from './sent-message-lookup.client';
