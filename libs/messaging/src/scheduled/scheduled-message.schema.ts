import { Schema } from 'mongoose';
import type { MessageOrigin } from '../outbound';
import type { SendMessageBody } from '../send/send-request.parser';

export const SCHEDULED_MESSAGE_MODEL = 'ScheduledMessage';
export const SCHEDULED_MESSAGE_ACTION_MODEL = 'ScheduledMessageAction';

/**
 * `scheduled`: waiting for sendAt (or for a retry after a transient failure at dueAt);
 * `failed`: sendAt came and the message could not be accepted (connection deleted or stopped,
 * upload gone ...). A message that was accepted is no longer here: it is a normal message
 * (`messages`, same id) from then on.
 */
export const SCHEDULED_STATES = ['scheduled', 'failed'] as const;
export type ScheduledState = (typeof SCHEDULED_STATES)[number];

/**
 * A message to send later (`_id` = the message id it will keep once sent). The body is the send
 * request as validated when it was scheduled, with base64 media already stored as an upload (so
 * the document stays small and the bytes count against mediaBytes at once).
 *
 * Versioned: every change (reschedule) writes version + 1 after winning the action claim of the
 * current version (ScheduledMessageActionRecord), so the runner firing it and a client
 * rescheduling or cancelling it at the same moment cannot both win.
 */
export interface ScheduledMessageRecord {
  _id: string;
  accountId: string;
  connectionId: string;
  body: SendMessageBody;
  origin: MessageOrigin;
  sendAt: Date;
  /** When the runner looks at it next: sendAt, later after a transient failure. */
  dueAt: Date;
  version: number;
  state: ScheduledState;
  /** Fire attempts that failed transiently (the retry delay doubles with each). */
  attempts: number;
  /** `_id` of the scheduledMessages quota slot held until it is sent, failed or cancelled. */
  slotId?: string;
  error?: { code: string; message: string };
  createdAt: Date;
  updatedAt: Date;
}

export const ScheduledMessageSchema = new Schema<ScheduledMessageRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    connectionId: { type: String, required: true },
    body: { type: Schema.Types.Mixed, required: true },
    origin: { type: Schema.Types.Mixed, required: true },
    sendAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    version: { type: Number, required: true },
    state: { type: String, required: true, enum: SCHEDULED_STATES },
    attempts: { type: Number, required: true },
    slotId: { type: String },
    error: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'scheduled_messages', versionKey: false, _id: false, minimize: false },
);
/** The runner: what is due, soonest first. */
ScheduledMessageSchema.index({ state: 1, dueAt: 1 }, { name: 'state_due' });
/** The API's list: an account's connection, by sendAt. */
ScheduledMessageSchema.index(
  { accountId: 1, connectionId: 1, sendAt: 1 },
  { name: 'account_connection_send_at' },
);

export const SCHEDULED_ACTIONS = ['fire', 'reschedule', 'cancel'] as const;
export type ScheduledAction = (typeof SCHEDULED_ACTIONS)[number];

/**
 * Who acted on a version of a scheduled message (`_id` = `<messageId>/v<version>`). The unique
 * insert is the one write FerretDB applies atomically: of a fire and a cancel racing on the same
 * version, exactly one is recorded, and the other learns which.
 */
export interface ScheduledMessageActionRecord {
  _id: string;
  messageId: string;
  action: ScheduledAction;
  at: Date;
}

export const ScheduledMessageActionSchema = new Schema<ScheduledMessageActionRecord>(
  {
    _id: { type: String, required: true },
    messageId: { type: String, required: true },
    action: { type: String, required: true, enum: SCHEDULED_ACTIONS },
    at: { type: Date, required: true },
  },
  { collection: 'scheduled_message_actions', versionKey: false, _id: false },
);
ScheduledMessageActionSchema.index({ messageId: 1 }, { name: 'message' });
