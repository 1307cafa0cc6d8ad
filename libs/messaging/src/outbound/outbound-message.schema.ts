import { Schema } from 'mongoose';
import type { MessageStatus } from './message-status.rank';
import type { MediaRef } from '@wwb/contracts';
import type { OutgoingMessage } from '@wwb/whatsapp';

type WithMediaRef<T> = T extends { media: unknown } ? Omit<T, 'media'> & { media: MediaRef } : T;

/** An outgoing message as stored and sent in `gateway.message.send`: media is a reference to an upload. */
export type QueuedContent = WithMediaRef<OutgoingMessage>;

import { MESSAGE_SOURCES, MessageOrigin, MessageSource } from '@wwb/contracts';

// The origin vocabulary is the event contract's (message.sent carries it); re-exported for messaging.
export { MESSAGE_SOURCES };
export type { MessageOrigin, MessageSource };

export const OUTBOUND_MESSAGE_MODEL = 'OutboundMessage';
export const MESSAGE_STATUS_MODEL = 'MessageStatus';
export const MESSAGE_REQUEUE_MODEL = 'MessageRequeue';

/**
 * A message accepted for sending, through the API or by an automation (`_id` = our id, `msg_<ULID>`), stored before the 202. Written
 * once by the API; afterwards its only write is `pending: false` (and its held slot unset) when
 * the gateway settled the send (FerretDB loses one of two concurrent updates of a document, so nothing else writes it:
 * statuses live in message_statuses, re-publish bookkeeping in message_requeues).
 */
export interface OutboundMessageRecord {
  _id: string;
  accountId: string;
  connectionId: string;
  chatId: string;
  /** `to` as the client sent it. */
  to: string;
  type: string;
  /** What the gateway sends: the driver's OutgoingMessage with media as a MediaRef. */
  content: QueuedContent;
  idempotencyKey?: string;
  /** Absent on messages stored before origins existed: those came from the API. */
  origin?: MessageOrigin;
  /** True until the gateway recorded `sent` or `failed`: the sweeper re-publishes pending messages. */
  pending: boolean;
  /**
   * The pendingMessages slot the message holds while pending, on itself: `<accountId>/n<i>` under
   * the plan's limit, `<accountId>/h-<id>` when counted but never refused (automated replies).
   * The unique `held_slot` index makes two messages holding one slot impossible, and settling
   * unsets it in the same update that ends `pending`. Absent once settled.
   */
  heldSlot?: string;
  /**
   * Before held slots: `_id` of the quota_slots slot the message held while pending, given back
   * when it is settled (and by the worker's healer).
   */
  pendingSlot?: string;
  /** The sendAt it was scheduled for, when it was a scheduled message. */
  scheduledFor?: Date;
  createdAt: Date;
}

export const OutboundMessageSchema = new Schema<OutboundMessageRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    connectionId: { type: String, required: true },
    chatId: { type: String, required: true },
    to: { type: String, required: true },
    type: { type: String, required: true },
    content: { type: Schema.Types.Mixed, required: true },
    idempotencyKey: { type: String },
    origin: { type: Schema.Types.Mixed },
    pending: { type: Boolean, required: true },
    heldSlot: { type: String },
    pendingSlot: { type: String },
    scheduledFor: { type: Date },
    createdAt: { type: Date, required: true },
  },
  { collection: 'messages', versionKey: false, _id: false, minimize: false },
);
/** The sweeper: pending messages, oldest first. */
OutboundMessageSchema.index({ pending: 1, createdAt: 1 }, { name: 'pending_created' });
/**
 * The pending-message limit: one message per held slot. Sparse, so settled messages (no held
 * slot) are not in it; FerretDB accepts the option and never lets missing values collide.
 */
OutboundMessageSchema.index({ heldSlot: 1 }, { name: 'held_slot', unique: true, sparse: true });

/**
 * One status a message reached, inserted once (`_id` = `<messageId>/<status>`): the first record
 * of a status wins and later duplicates are ignored, so concurrent acks never lose or undo
 * anything. The message's status is the highest-ranked record (message-status.rank.ts).
 */
export interface MessageStatusRecord {
  _id: string;
  messageId: string;
  accountId: string;
  status: MessageStatus;
  /** When it happened (WhatsApp's time where known). */
  at: Date;
  waMessageId?: string;
  reason?: { code: string; message: string };
  recordedAt: Date;
}

export const MessageStatusSchema = new Schema<MessageStatusRecord>(
  {
    _id: { type: String, required: true },
    messageId: { type: String, required: true },
    accountId: { type: String, required: true },
    status: { type: String, required: true },
    at: { type: Date, required: true },
    waMessageId: { type: String },
    reason: { type: { code: String, message: String }, _id: false, default: undefined },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'message_statuses', versionKey: false, _id: false },
);
MessageStatusSchema.index({ messageId: 1 }, { name: 'message' });

/** Re-publish bookkeeping of the sweeper (its only writer, under the sweep lease). `_id` = message id. */
export interface MessageRequeueRecord {
  _id: string;
  count: number;
  lastAt: Date;
}

export const MessageRequeueSchema = new Schema<MessageRequeueRecord>(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    lastAt: { type: Date, required: true },
  },
  { collection: 'message_requeues', versionKey: false, _id: false },
);
