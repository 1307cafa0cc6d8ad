import { Schema } from 'mongoose';
import { MESSAGE_SOURCES } from '../outbound';

export const CHAT_MODEL = 'Chat';
export const CHAT_MESSAGE_MODEL = 'ChatMessage';

/** Summary of a message shown in the chat list. */
export interface LastMessage {
  waMessageId: string;
  type: string;
  /** The first 200 characters of the body. */
  body: string;
  fromMe: boolean;
  timestamp: Date;
}

/**
 * A chat of a connection (`_id` = `<connectionId>/<chatId>`), kept by the conversations consumer.
 * Its events share one Kafka key (the chat), hence one partition and one writer at a time.
 */
export interface ChatRecord {
  _id: string;
  accountId: string;
  connectionId: string;
  chatId: string;
  isGroup: boolean;
  lastMessage?: LastMessage;
  /** Sort key of the chat list (newest first). */
  lastMessageAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const ChatSchema = new Schema<ChatRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    connectionId: { type: String, required: true },
    chatId: { type: String, required: true },
    isGroup: { type: Boolean, required: true },
    lastMessage: { type: Schema.Types.Mixed },
    lastMessageAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'chats', versionKey: false, _id: false },
);
ChatSchema.index({ accountId: 1, connectionId: 1, lastMessageAt: -1, _id: -1 }, { name: 'list' });

/** Who sent an outgoing chat message: one of the sources of a send through us, or the phone. */
export const CHAT_MESSAGE_SOURCES = [...MESSAGE_SOURCES, 'phone'] as const;
export type ChatMessageSource = (typeof CHAT_MESSAGE_SOURCES)[number];

export interface Reaction {
  from: string;
  reaction: string;
  timestamp: Date;
}

/**
 * A message of a chat, in or out (`_id` = `<connectionId>/<waMessageId>`). Created by
 * message.received / message.sent, or first as a stub by a status or a link that overtook it
 * (`hasContent: false`); statuses only move up (rank order).
 */
export interface ChatMessageRecord {
  _id: string;
  accountId: string;
  connectionId: string;
  chatId: string;
  waMessageId: string;
  /** Our id when the message was sent through us (the API or an automation). */
  messageId?: string;
  /** Set once known for a message sent through us (its origin); unset: phone, or incoming. */
  source?: ChatMessageSource;
  ruleId?: string;
  botId?: string;
  hasContent: boolean;
  fromMe: boolean;
  from?: string;
  to?: string;
  author?: string;
  type?: string;
  rawType?: string;
  body?: string;
  /** Sort key of the messages of a chat (newest first). */
  timestamp: Date;
  hasMedia?: boolean;
  media?: {
    mimetype?: string;
    filename?: string;
    size?: number;
    duration?: number;
    voice?: boolean;
    gif?: boolean;
  };
  quotedMessageId?: string;
  mentions?: string[];
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  vCards?: string[];
  poll?: { name: string; options: string[]; allowMultipleAnswers: boolean };
  isForwarded?: boolean;
  status?: string;
  statusAt?: Partial<Record<string, Date>>;
  failureReason?: string;
  revoked?: boolean;
  revokedAt?: Date;
  edited?: boolean;
  editedAt?: Date;
  reactions?: Reaction[];
  createdAt: Date;
  updatedAt: Date;
}

export const ChatMessageSchema = new Schema<ChatMessageRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    connectionId: { type: String, required: true },
    chatId: { type: String, required: true },
    waMessageId: { type: String, required: true },
    messageId: { type: String },
    source: { type: String },
    ruleId: { type: String },
    botId: { type: String },
    hasContent: { type: Boolean, required: true },
    fromMe: { type: Boolean, required: true },
    from: { type: String },
    to: { type: String },
    author: { type: String },
    type: { type: String },
    rawType: { type: String },
    body: { type: String },
    timestamp: { type: Date, required: true },
    hasMedia: { type: Boolean },
    media: { type: Schema.Types.Mixed },
    quotedMessageId: { type: String },
    mentions: { type: [String], default: undefined },
    location: { type: Schema.Types.Mixed },
    vCards: { type: [String], default: undefined },
    poll: { type: Schema.Types.Mixed },
    isForwarded: { type: Boolean },
    status: { type: String },
    statusAt: { type: Schema.Types.Mixed },
    failureReason: { type: String },
    revoked: { type: Boolean },
    revokedAt: { type: Date },
    edited: { type: Boolean },
    editedAt: { type: Date },
    reactions: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'chat_messages', versionKey: false, _id: false, minimize: false },
);
ChatMessageSchema.index(
  { accountId: 1, connectionId: 1, chatId: 1, timestamp: -1, _id: -1 },
  { name: 'chat_timeline' },
);
