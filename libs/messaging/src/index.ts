export * from './messaging.module';
// Sending, for any caller (the HTTP API, automation consumers): MessagingModule.sending() provides it.
export { SendMessageUseCase } from './send';
export type { SendMessageCommand, SendMessageResult, SendMessageBody } from './send';
export { MESSAGE_SOURCES } from './outbound';
export type { MessageOrigin, MessageSource } from './outbound';
export { SEND_ERROR_CODES } from './send';
export type { SendErrorCode } from './send';
export { MessageSendHandler, SEND_FAILURE_CODES, parseSendCommand } from './gateway';
export type { SendSession, SendFailureCode } from './gateway';
export { OutboxSweeper, SWEEPER_LEASE } from './send';
export type { SweepResult } from './send';
export { ConversationsConsumer, CONVERSATIONS_GROUP, CHAT_MESSAGE_SOURCES } from './conversations';
export type { ChatMessageSource } from './conversations';
export { MessageStatusConsumer, MESSAGE_STATUS_GROUP } from './statuses';
export { MESSAGE_STATUSES, currentStatus, statusRank } from './outbound';
export type { MessageStatus } from './outbound';
export { MEDIA_UPLOAD_PATH, MEDIA_BUCKET, MEDIA_RETENTION_LEASE, MediaRetentionRunner } from './media';
export type { MediaRetentionResult } from './media';
// Storage primitives (race-tested against FerretDB in test/integration/messaging).
export { IdempotencyRepository } from './send';
export { OutboundMessageRepository } from './outbound';
export type { OutboundMessageRecord } from './outbound';
export { PENDING_SLOT_GRACE_MS, QUOTA_UPKEEP_LEASE, QuotaUpkeepRunner } from './outbound';
export type { QuotaUpkeepResult } from './outbound';
export { SendClaimRepository } from './gateway';
// Scheduled messages (POST .../messages with sendAt): the runner on the worker sends them.
export { ScheduledSendRunner, SCHEDULED_SEND_LEASE, ScheduledMessageRepository } from './scheduled';
export type { ScheduledRunResult, FireOutcome } from './scheduled';
export { MessageOutcomeService } from './outcomes';
export type { MessageOutcome } from './outcomes';
