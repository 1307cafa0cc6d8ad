import { Injectable } from '@nestjs/common';
import type { Principal } from '@wwb/accounts';
import { ConnectionsService } from '@wwb/connections';
import type { AutomationHandoffRequestedData, HandoffRequestAction } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { Clock, DomainError } from '@wwb/runtime';
import { toChatId } from '@wwb/whatsapp';
import { ChatStateStore } from '../pipeline/chat-state.store';
import { HandoffRequestDto, HandoffStateDto } from './chat-handoff.dto';

export interface HandoffCommand {
  connectionId: string;
  /** A chat id or a phone number. */
  chat: string;
  action: HandoffRequestAction;
  minutes?: number;
}

/**
 * The API side of hand-offs. The chat's automation state has one writer, the `automation`
 * consumer member owning the chat's partition, so a take-over or give-back is never written here:
 * it is published as automation.handoff.requested, keyed by the chat like the chat's messages,
 * and applied by that member in order with them. Reading the state is fine from anywhere.
 */
@Injectable()
export class ChatHandoffRequestsService {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly states: ChatStateStore,
    private readonly factory: EventFactory,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async state(principal: Principal, connectionId: string, chat: string): Promise<HandoffStateDto> {
    const chatId = await this.resolve(principal, connectionId, chat);
    const state = await this.states.get(principal.scope, { connectionId, chatId });
    const pause = state?.pause;
    // A pause that ran out is ended lazily by the next inbound message: it already counts as over.
    if (!pause || new Date(pause.until).getTime() <= this.clock.nowMs()) {
      const none = { until: null, since: null, reason: null, ruleId: null, botId: null, requestedBy: null };
      return { chatId, paused: false, ...none };
    }
    return {
      chatId,
      paused: true,
      until: new Date(pause.until).toISOString(),
      since: new Date(pause.since).toISOString(),
      reason: pause.reason,
      ruleId: pause.ruleId ?? null,
      botId: pause.botId ?? null,
      requestedBy: pause.requestedBy ?? null,
    };
  }

  async request(principal: Principal, command: HandoffCommand): Promise<HandoffRequestDto> {
    const chatId = await this.resolve(principal, command.connectionId, command.chat);
    const data: AutomationHandoffRequestedData = {
      chatId,
      action: command.action,
      ...(command.action === 'take_over' && command.minutes !== undefined
        ? { minutes: command.minutes }
        : {}),
      requestedBy: principal.userId ?? principal.apiKeyId,
    };
    const event = this.factory.create({
      type: 'automation.handoff.requested',
      accountId: principal.accountId,
      connectionId: command.connectionId,
      chatId,
      data,
    });
    await this.publisher.publish(event);
    return {
      requestId: event.id,
      chatId,
      action: data.action,
      ...(data.minutes !== undefined ? { minutes: data.minutes } : {}),
      requestedAt: event.occurredAt,
    };
  }

  /** The chat id of the path (a chat id or a phone number) on a connection the caller may use. */
  private async resolve(principal: Principal, connectionId: string, chat: string): Promise<string> {
    await this.connections.getForPrincipal(principal, connectionId);
    let chatId: string;
    try {
      chatId = toChatId(chat);
    } catch {
      throw DomainError.invalid('invalid_chat_id', 'not a chat id (`...@c.us`, `...@g.us`) or phone number');
    }
    if (chatId.endsWith('@broadcast'))
      throw DomainError.invalid('invalid_chat_id', 'status broadcasts have no automation to hand off');
    return chatId;
  }
}
