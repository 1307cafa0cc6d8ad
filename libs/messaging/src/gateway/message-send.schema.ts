import { Schema } from 'mongoose';

export const MESSAGE_SEND_MODEL = 'MessageSend';
export const MESSAGE_LINK_MODEL = 'MessageLink';

/**
 * - `claimed`: a gateway owns the send and has not called WhatsApp yet (a stale claim may be
 *   taken over: nothing was sent);
 * - `waiting`: the connection was not ready yet; the command is retried, and the next delivery
 *   takes over (keeping `waitingSince`, so MESSAGE_READY_TIMEOUT_MS counts from the first wait);
 * - `aborted`: its holder saw a competing claim right before calling the driver and backed off;
 * - `sending`: the driver was called; if its holder died, nobody knows whether WhatsApp got the
 *   message, so it is never sent again (the message fails with `send_interrupted`);
 * - `done`: the outcome (sent or failed) is recorded.
 */
export type SendClaimState = 'claimed' | 'waiting' | 'aborted' | 'sending' | 'done';

/**
 * One generation of the claim on sending a message (`_id` = `<messageId>#<gen>`). Claims are
 * never rewritten by another holder nor deleted to be taken over: a new holder inserts the next
 * generation, so the unique `_id` alone decides between racing handlers (FerretDB applies
 * neither concurrent updates nor a delete-then-insert of one `_id` atomically). Each generation
 * has one writer, its holder.
 */
export interface MessageSendRecord {
  _id: string;
  messageId: string;
  gen: number;
  accountId: string;
  connectionId: string;
  chatId: string;
  state: SendClaimState;
  /**
   * The gateway process holding this generation (`gw_<ULID>`): when its heartbeat stops, its
   * `claimed` or `sending` generation is settled at once instead of after a lease. Absent on
   * generations written before it was recorded.
   */
  nodeId?: string;
  claimedAt: Date;
  /** First time a delivery found the connection not ready. */
  waitingSince?: Date;
  sendingAt?: Date;
  doneAt?: Date;
}

export const sendClaimId = (messageId: string, gen: number) => `${messageId}#${gen}`;

export const MessageSendSchema = new Schema<MessageSendRecord>(
  {
    _id: { type: String, required: true },
    messageId: { type: String, required: true },
    gen: { type: Number, required: true },
    accountId: { type: String, required: true },
    connectionId: { type: String, required: true },
    chatId: { type: String, required: true },
    state: { type: String, required: true },
    nodeId: { type: String },
    claimedAt: { type: Date, required: true },
    waitingSince: { type: Date },
    sendingAt: { type: Date },
    doneAt: { type: Date },
  },
  { collection: 'message_sends', versionKey: false, _id: false },
);
MessageSendSchema.index({ messageId: 1, gen: 1 }, { name: 'message_gen' });
/** Acks for a WhatsApp id not linked yet: is a send to that chat in flight? */
MessageSendSchema.index({ connectionId: 1, chatId: 1, state: 1 }, { name: 'connection_chat_state' });

/** WhatsApp's id of a message we sent -> our id (`_id` = `<connectionId>/<waMessageId>`), inserted once. */
export interface MessageLinkRecord {
  _id: string;
  messageId: string;
  accountId: string;
  connectionId: string;
  waMessageId: string;
  createdAt: Date;
}

export const MessageLinkSchema = new Schema<MessageLinkRecord>(
  {
    _id: { type: String, required: true },
    messageId: { type: String, required: true },
    accountId: { type: String, required: true },
    connectionId: { type: String, required: true },
    waMessageId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'message_links', versionKey: false, _id: false },
);
MessageLinkSchema.index({ messageId: 1 }, { name: 'message' });
