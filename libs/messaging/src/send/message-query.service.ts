import { Injectable } from '@nestjs/common';
import type { Principal } from '@wwb/accounts';
import { ConnectionsService } from '@wwb/connections';
import { DomainError } from '@wwb/runtime';
import {
  currentStatus,
  MESSAGE_STATUSES,
  MessageSource,
  MessageStatus,
  MessageStatusRecord,
  OutboundMessageRecord,
  OutboundMessageRepository,
} from '../outbound';

export interface MessageView {
  id: string;
  connectionId: string;
  to: string;
  chatId: string;
  type: string;
  status: MessageStatus;
  /** WhatsApp's id once sent (what acks, replies and chats refer to). */
  waMessageId: string | null;
  /** When each status was reached (null = not yet, or skipped). */
  timestamps: Record<MessageStatus, string | null>;
  /** Why the message failed, when status is failed. */
  error: { code: string; message: string } | null;
  /** Who had it sent (messages stored before origins existed came from the API). */
  source: MessageSource;
  ruleId: string | null;
  botId: string | null;
  createdAt: string;
}

/** Reads a message sent through us (API or automation) with its status and per-status timestamps. */
@Injectable()
export class MessageQueryService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly messages: OutboundMessageRepository,
  ) {}

  async get(principal: Principal, connectionId: string, id: string): Promise<MessageView> {
    await this.connections.getForPrincipal(principal, connectionId);
    const message = /^msg_[0-9A-Z]{26}$/.test(id)
      ? await this.messages.find(principal.scope, connectionId, id)
      : null;
    if (!message) throw DomainError.notFound('Message');
    return toMessageView(message, await this.messages.statusesOf(id));
  }
}

export function toMessageView(message: OutboundMessageRecord, records: MessageStatusRecord[]): MessageView {
  const timestamps = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, null])) as Record<
    MessageStatus,
    string | null
  >;
  timestamps.queued = message.createdAt.toISOString();
  for (const r of records) timestamps[r.status] = r.at.toISOString();
  const status = currentStatus(records.map((r) => r.status));
  const failed = records.find((r) => r.status === 'failed');
  return {
    id: message._id,
    connectionId: message.connectionId,
    to: message.to,
    chatId: message.chatId,
    type: message.type,
    status,
    waMessageId: records.find((r) => r.waMessageId)?.waMessageId ?? null,
    timestamps,
    error: status === 'failed' && failed?.reason ? failed.reason : null,
    source: message.origin?.source ?? 'api',
    ruleId: message.origin?.ruleId ?? null,
    botId: message.origin?.botId ?? null,
    createdAt: message.createdAt.toISOString(),
  };
}
