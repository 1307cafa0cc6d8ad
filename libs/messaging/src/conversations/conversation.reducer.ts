import type {
  MessageEditedData,
  MessageReactionData,
  MessageRevokedData,
  MessageSentData,
  MessageStatusData,
} from '@wwb/contracts';
import { advances, isMessageStatus, MessageOrigin, MessageStatus } from '../outbound';
import type { ChatMessageRecord, ChatRecord } from './conversation.schema';

/** `data` of message.received / message.sent (message.sent of a message sent through us carries its origin). */
export type MessageEventData = MessageSentData;

export interface Origin {
  accountId: string;
  connectionId: string;
  now: Date;
}

export const chatMessageKey = (connectionId: string, waMessageId: string) => `${connectionId}/${waMessageId}`;
export const chatKey = (connectionId: string, chatId: string) => `${connectionId}/${chatId}`;

const BODY_PREVIEW = 200;

function stub(o: Origin, chatId: string, waMessageId: string, fromMe: boolean, at: Date): ChatMessageRecord {
  return {
    _id: chatMessageKey(o.connectionId, waMessageId),
    accountId: o.accountId,
    connectionId: o.connectionId,
    chatId,
    waMessageId,
    hasContent: false,
    fromMe,
    timestamp: at,
    createdAt: o.now,
    updatedAt: o.now,
  };
}

/**
 * Who sent a message through us, recorded once: an origin never changes, so the first one known
 * (from message.sent, or from the send it was linked to) stays.
 */
function withSource(m: ChatMessageRecord, origin: MessageOrigin | undefined): ChatMessageRecord {
  if (!origin || m.source) return m;
  return {
    ...m,
    source: origin.source,
    ...(origin.ruleId ? { ruleId: origin.ruleId } : {}),
    ...(origin.botId ? { botId: origin.botId } : {}),
  };
}

/**
 * message.received / message.sent: the content, merged into what statuses or links stored before
 * it. `origin` is who had it sent, when the consumer found out (message.sent data, or our send).
 */
export function applyMessage(
  existing: ChatMessageRecord | null,
  d: MessageEventData,
  o: Origin,
  origin: MessageOrigin | undefined = d.origin,
): ChatMessageRecord {
  const base = existing ?? stub(o, d.chatId, d.waMessageId, d.fromMe, new Date(d.timestamp));
  const out: ChatMessageRecord = {
    ...base,
    chatId: d.chatId,
    hasContent: true,
    fromMe: d.fromMe,
    from: d.from,
    to: d.to,
    type: d.type,
    rawType: d.rawType,
    body: base.edited ? (base.body ?? d.body) : d.body,
    timestamp: new Date(d.timestamp),
    hasMedia: d.hasMedia,
    mentions: [...d.mentions],
    vCards: [...d.vCards],
    isForwarded: d.isForwarded,
    updatedAt: o.now,
  };
  if (d.author) out.author = d.author;
  if (d.media) out.media = { ...d.media };
  if (d.quotedMessageId) out.quotedMessageId = d.quotedMessageId;
  if (d.location) out.location = { ...d.location };
  if (d.poll) out.poll = { ...d.poll, options: [...d.poll.options] };
  if (d.messageId && !out.messageId) out.messageId = d.messageId;
  return d.fromMe ? withSource(out, origin) : out;
}

/**
 * message.status: the status moves only up (rank order); every status's first time is kept.
 * Null for a status without a WhatsApp id (a send that never reached WhatsApp).
 */
export function applyStatus(
  existing: ChatMessageRecord | null,
  d: MessageStatusData,
  o: Origin,
  origin?: MessageOrigin,
): ChatMessageRecord | null {
  if (!d.waMessageId || !isMessageStatus(d.status)) return null;
  const at = new Date(d.timestamp);
  const out: ChatMessageRecord = {
    ...(existing ?? stub(o, d.chatId, d.waMessageId, true, at)),
    updatedAt: o.now,
  };
  if (d.messageId && !out.messageId) out.messageId = d.messageId;
  const status = d.status as MessageStatus;
  const statusAt = { ...(out.statusAt ?? {}) };
  if (!statusAt[status]) statusAt[status] = at;
  out.statusAt = statusAt;
  if (!out.status || (isMessageStatus(out.status) && advances(out.status, status))) {
    out.status = status;
    if (status === 'failed' && d.reason) out.failureReason = d.reason;
  }
  return withSource(out, origin);
}

export function applyRevoked(
  existing: ChatMessageRecord | null,
  d: MessageRevokedData,
  o: Origin,
): ChatMessageRecord {
  const base =
    existing ??
    (d.original
      ? applyMessage(null, d.original, o)
      : stub(o, d.chatId, d.waMessageId, d.fromMe, new Date(d.timestamp)));
  return { ...base, revoked: true, revokedAt: new Date(d.timestamp), updatedAt: o.now };
}

/** Null when the message edited is unknown here (nothing to edit). */
export function applyEdited(
  existing: ChatMessageRecord | null,
  d: MessageEditedData,
  o: Origin,
): ChatMessageRecord | null {
  if (!existing) return null;
  const at = new Date(d.timestamp);
  if (existing.editedAt && existing.editedAt > at) return existing;
  return { ...existing, body: d.body, edited: true, editedAt: at, updatedAt: o.now };
}

/** One reaction per person: a new one replaces theirs, an empty one removes it. */
export function applyReaction(
  existing: ChatMessageRecord | null,
  d: MessageReactionData,
  o: Origin,
): ChatMessageRecord {
  const base = existing ?? stub(o, d.chatId, d.waMessageId, false, new Date(d.timestamp));
  const at = new Date(d.timestamp);
  const current = base.reactions ?? [];
  const mine = current.find((r) => r.from === d.from);
  if (mine && mine.timestamp > at) return base;
  const reactions = current.filter((r) => r.from !== d.from);
  if (d.reaction) reactions.push({ from: d.from, reaction: d.reaction, timestamp: at });
  return { ...base, reactions, updatedAt: o.now };
}

/** The chat of a message with content, its last message kept up to date. */
export function applyChat(existing: ChatRecord | null, m: ChatMessageRecord, o: Origin): ChatRecord {
  const base: ChatRecord = existing ?? {
    _id: chatKey(o.connectionId, m.chatId),
    accountId: o.accountId,
    connectionId: o.connectionId,
    chatId: m.chatId,
    isGroup: m.chatId.endsWith('@g.us'),
    lastMessageAt: m.timestamp,
    createdAt: o.now,
    updatedAt: o.now,
  };
  const last = base.lastMessage;
  if (last && last.timestamp > m.timestamp && last.waMessageId !== m.waMessageId) return base;
  return {
    ...base,
    lastMessage: {
      waMessageId: m.waMessageId,
      type: m.revoked ? 'revoked' : (m.type ?? 'unknown'),
      body: m.revoked ? '' : (m.body ?? '').slice(0, BODY_PREVIEW),
      fromMe: m.fromMe,
      timestamp: m.timestamp,
    },
    lastMessageAt: m.timestamp,
    updatedAt: o.now,
  };
}
