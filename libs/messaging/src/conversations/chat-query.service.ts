import { Injectable } from '@nestjs/common';
import type { Principal } from '@wwb/accounts';
import { ConnectionsService } from '@wwb/connections';
import { PageCursor } from '@wwb/infrastructure';
import { DomainError } from '@wwb/runtime';
import { toChatId } from '@wwb/whatsapp';
import { ChatMessageRecord, ChatMessageSource, ChatRecord } from './conversation.schema';
import { ConversationRepository } from './conversation.repository';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface ChatView {
  chatId: string;
  isGroup: boolean;
  lastMessage: { waMessageId: string; type: string; body: string; fromMe: boolean; timestamp: string } | null;
  lastMessageAt: string;
}

export interface ChatMessageView {
  waMessageId: string;
  messageId: string | null;
  chatId: string;
  fromMe: boolean;
  from: string | null;
  to: string | null;
  author: string | null;
  type: string;
  body: string;
  timestamp: string;
  hasMedia: boolean;
  media: NonNullable<ChatMessageRecord['media']> | null;
  quotedMessageId: string | null;
  mentions: string[];
  location: NonNullable<ChatMessageRecord['location']> | null;
  vCards: string[];
  poll: NonNullable<ChatMessageRecord['poll']> | null;
  isForwarded: boolean;
  /** Outgoing messages: sent, delivered, read, played or failed (null for incoming). */
  status: string | null;
  statusTimestamps: Record<string, string>;
  revoked: boolean;
  edited: boolean;
  reactions: { from: string; reaction: string; timestamp: string }[];
  /** Outgoing: who sent it (see ChatMessageSource); null for incoming. */
  source: ChatMessageSource | null;
  ruleId: string | null;
  botId: string | null;
}

/** Chats and chat messages of a connection, newest first, with cursor pagination. */
@Injectable()
export class ChatQueryService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly conversations: ConversationRepository,
  ) {}

  async listChats(
    principal: Principal,
    connectionId: string,
    opts: { limit?: number; cursor?: string },
  ): Promise<Page<ChatView>> {
    await this.connections.getForPrincipal(principal, connectionId);
    const limit = opts.limit ?? DEFAULT_PAGE;
    const rows = await this.conversations.listChats(principal.scope, connectionId, {
      limit: limit + 1,
      ...(opts.cursor !== undefined ? { before: PageCursor.decode(opts.cursor) } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toChatView),
      nextCursor:
        rows.length > limit && last ? PageCursor.encode({ at: last.lastMessageAt, id: last._id }) : null,
    };
  }

  async listMessages(
    principal: Principal,
    connectionId: string,
    chat: string,
    opts: { limit?: number; cursor?: string },
  ): Promise<Page<ChatMessageView>> {
    await this.connections.getForPrincipal(principal, connectionId);
    let chatId: string;
    try {
      chatId = toChatId(chat);
    } catch {
      throw DomainError.invalid('invalid_chat_id', 'not a chat id (`...@c.us`, `...@g.us`) or phone number');
    }
    const limit = opts.limit ?? DEFAULT_PAGE;
    const rows = await this.conversations.listMessages(principal.scope, connectionId, chatId, {
      limit: limit + 1,
      ...(opts.cursor !== undefined ? { before: PageCursor.decode(opts.cursor) } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toChatMessageView),
      nextCursor:
        rows.length > limit && last ? PageCursor.encode({ at: last.timestamp, id: last._id }) : null,
    };
  }
}

export function toChatView(c: ChatRecord): ChatView {
  return {
    chatId: c.chatId,
    isGroup: c.isGroup,
    lastMessage: c.lastMessage
      ? {
          waMessageId: c.lastMessage.waMessageId,
          type: c.lastMessage.type,
          body: c.lastMessage.body,
          fromMe: c.lastMessage.fromMe,
          timestamp: new Date(c.lastMessage.timestamp).toISOString(),
        }
      : null,
    lastMessageAt: c.lastMessageAt.toISOString(),
  };
}

export function toChatMessageView(m: ChatMessageRecord): ChatMessageView {
  const statusTimestamps: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.statusAt ?? {}))
    if (v) statusTimestamps[k] = new Date(v).toISOString();
  return {
    waMessageId: m.waMessageId,
    messageId: m.messageId ?? null,
    chatId: m.chatId,
    fromMe: m.fromMe,
    from: m.from ?? null,
    to: m.to ?? null,
    author: m.author ?? null,
    type: m.revoked ? 'revoked' : (m.type ?? 'unknown'),
    body: m.revoked ? '' : (m.body ?? ''),
    timestamp: m.timestamp.toISOString(),
    hasMedia: m.hasMedia ?? false,
    media: m.media ?? null,
    quotedMessageId: m.quotedMessageId ?? null,
    mentions: m.mentions ?? [],
    location: m.location ?? null,
    vCards: m.vCards ?? [],
    poll: m.poll ?? null,
    isForwarded: m.isForwarded ?? false,
    status: m.status ?? null,
    statusTimestamps,
    revoked: m.revoked ?? false,
    edited: m.edited ?? false,
    reactions: (m.reactions ?? []).map((r) => ({
      from: r.from,
      reaction: r.reaction,
      timestamp: new Date(r.timestamp).toISOString(),
    })),
    source: sourceOf(m),
    ruleId: m.ruleId ?? null,
    botId: m.botId ?? null,
  };
}

/**
 * A message of ours without a recorded source was typed on the phone, unless it carries our id
 * (sent through the API before origins were recorded).
 */
function sourceOf(m: ChatMessageRecord): ChatMessageSource | null {
  if (!m.fromMe) return null;
  return m.source ?? (m.messageId ? 'api' : 'phone');
}
