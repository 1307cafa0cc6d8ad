export * from './messaging.module';
export { MessageSendHandler, SEND_FAILURE_CODES, parseSendCommand } from './message-send.handler';
export type { SendSession, SendFailureCode } from './message-send.handler';
export { OutboxSweeper, SWEEPER_LEASE } from './outbox.sweeper';
export type { SweepResult } from './outbox.sweeper';
export { ConversationsConsumer, CONVERSATIONS_GROUP } from './conversations.consumer';
export { MessageStatusConsumer, MESSAGE_STATUS_GROUP } from './message-status.consumer';
export { SEND_ERROR_CODES, MESSAGE_TYPES } from './send-request.parser';
export type { SendMessageBody } from './send-request.parser';
export { MESSAGE_STATUSES, currentStatus, statusRank } from './message-status.rank';
export type { MessageStatus } from './message-status.rank';
export { MEDIA_UPLOAD_PATH } from './media.controller';
export { MEDIA_BUCKET } from './media.store';
// Storage primitives (race-tested against FerretDB in test/integration/messaging).
export { LeaseRepository } from './lease.repository';
export { IdempotencyRepository } from './idempotency.repository';
export { OutboundMessageRepository } from './outbound-message.repository';
export { SendClaimRepository } from './send-claim.repository';
