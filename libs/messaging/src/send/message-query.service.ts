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
import { ScheduledMessageRepository } from '../scheduled/scheduled-message.repository';
import type { ScheduledMessageRecord } from '../scheduled/scheduled-message.schema';
import { parseRecipient } from './send-request.parser';

export interface MessageView {
  id: string;
  connectionId: string;
  to: string;
  chatId: string;
  type: string;
  /** `scheduled` until its sendAt (then queued ...); `failed` also when it could not be sent then. */
  status: MessageStatus | 'scheduled';
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
  /** The time it was scheduled for, if it was. */
  sendAt: string | null;
  createdAt: string;
}

/** Reads a message sent through us (API or automation) with its status and per-status timestamps. */
@Injectable()
export class MessageQueryService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly messages: OutboundMessageRepository,
    private readonly scheduled: ScheduledMessageRepository,
  ) {}

  async get(principal: Principal, connectionId: string, id: string): Promise<MessageView> {
    await this.connections.getForPrincipal(principal, connectionId);
    if (!/^msg_[0-9A-Z]{26}$/.test(id)) throw DomainError.notFound('Message');
    const message = await this.messages.find(principal.scope, connectionId, id);
    if (message) return toMessageView(message, await this.messages.statusesOf(id));
    // Not sent yet: a scheduled message (or one that failed when its time came).
    const waiting = await this.scheduled.find(principal.scope, connectionId, id);
    if (!waiting) throw DomainError.notFound('Message');
    return scheduledMessageView(waiting);
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
    sendAt: message.scheduledFor ? message.scheduledFor.toISOString() : null,
    createdAt: message.createdAt.toISOString(),
  };
}

/** A message still waiting for its sendAt (or failed then), in the shape of any message. */
export function scheduledMessageView(r: ScheduledMessageRecord): MessageView {
  const timestamps = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, null])) as Record<
    MessageStatus,
    string | null
  >;
  if (r.state === 'failed') timestamps.failed = r.updatedAt.toISOString();
  let chatId = '';
  try {
    chatId = parseRecipient(r.body.to);
  } catch {
    // Checked when it was scheduled; an older rule cannot make GET fail.
  }
  return {
    id: r._id,
    connectionId: r.connectionId,
    to: r.body.to ?? '',
    chatId,
    type: r.body.type ?? '',
    status: r.state,
    waMessageId: null,
    timestamps,
    error: r.state === 'failed' && r.error ? r.error : null,
    source: r.origin.source,
    ruleId: r.origin.ruleId ?? null,
    botId: r.origin.botId ?? null,
    sendAt: r.sendAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}
