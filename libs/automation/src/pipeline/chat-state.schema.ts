import { Schema } from 'mongoose';
import type { HandoffReason } from '@wwb/contracts';

export const CHAT_STATE_MODEL = 'AutomationChatState';

/** A rule that fired for a contact in this chat (its cooldown starts then). */
export interface RuleFiring {
  ruleId: string;
  /** The contact id, else the sender's WhatsApp id. */
  contactKey: string;
  at: Date;
}

export interface ChatPause {
  until: Date;
  reason: HandoffReason;
  since: Date;
  ruleId?: string;
  botId?: string;
  /** A person took the chat over (console or API): their user id, else the API key's id. */
  requestedBy?: string;
}

export interface FaqMisses {
  botId: string;
  inRow: number;
}

/**
 * What automation remembers about one chat (`_id` = `<accountId>/<connectionId>/<chatId>`): the
 * guards' memory (replies in the loop-breaker window, rule firings for cooldowns, FAQ misses in a
 * row), the hand-off pause, and the events already applied. A chat's events share a Kafka key, so
 * the `automation` consumer member that owns the partition is the document's only writer: it
 * replaces the document whole (FerretDB does not apply concurrent updates of one document
 * atomically). Lists are bounded, so the document stays small whatever the traffic.
 */
export interface ChatStateRecord {
  _id: string;
  accountId: string;
  connectionId: string;
  chatId: string;
  firstSeenAt: Date;
  lastInboundAt: Date | null;
  /** Automated replies (rules and FAQ bots) sent to the chat within the loop-breaker window. */
  replyTimes: Date[];
  /** The loop breaker tripped and its event was published; cleared when the window has room again. */
  loopTripped: boolean;
  firings: RuleFiring[];
  pause: ChatPause | null;
  faqMisses: FaqMisses[];
  /** Our ids (msg_…) of recent automated replies: their message.sent is never taken for a human's. */
  replyMessageIds: string[];
  /** Ids of the last events applied (a redelivered event is skipped). */
  handledEventIds: string[];
  updatedAt: Date;
}

export const ChatStateSchema = new Schema<ChatStateRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    connectionId: { type: String, required: true },
    chatId: { type: String, required: true },
    firstSeenAt: { type: Date, required: true },
    lastInboundAt: { type: Date, default: null },
    replyTimes: { type: [Date], default: [] },
    loopTripped: { type: Boolean, default: false },
    firings: { type: Schema.Types.Mixed, default: [] },
    pause: { type: Schema.Types.Mixed, default: null },
    faqMisses: { type: Schema.Types.Mixed, default: [] },
    replyMessageIds: { type: [String], default: [] },
    handledEventIds: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'automation_chat_states', versionKey: false, _id: false },
);
ChatStateSchema.index({ accountId: 1, connectionId: 1, chatId: 1 }, { name: 'chat' });
