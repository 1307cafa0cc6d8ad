import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { ContactsService, ContactView, OptOutPolicy } from '@wwb/contacts';
import type { TypedEvent } from '@wwb/contracts';
import { FaqBotsService } from '@wwb/faq-bots';
import { AppLogger } from '@wwb/observability';
import { AccountScope, scopeOf } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { evaluateRules, InboundFacts, RulesService } from '../rules';
import { AutomationEventsProducer } from './automation-events.producer';
import { AutomationReplyService } from './automation-reply.service';
import { AutomationTurn, pending } from './automation-turn.model';
import { ChatGuardPolicy } from './chat-guard.policy';
import { ChatHandoffService, isBroadcast } from './chat-handoff.service';
import { ChatStateStore } from './chat-state.store';
import { FaqAnswerService } from './faq-answer.service';
import { RuleActionsRunner } from './rule-actions.runner';

/** A private chat with a phone number behind it (`<digits>@c.us`): the sender can be a contact. */
const PHONE_CHAT = /^(\d{6,15})@c\.us$/;

/**
 * The inbound pipeline, per message.received: contact, opt-out keywords, hand-off pause, rules
 * (by priority, stopOnMatch, cooldowns), the FAQ bots that answer what no rule matched, guarded
 * by the loop breaker. Never reacts to our own messages, status broadcasts, or groups (unless a
 * rule's chatType names them). Opted-out contacts get nothing automated, ever.
 *
 * Once per inbound message, even when the event is delivered again (crash, rebalance): the chat
 * state remembers the events it applied and is saved last, after the turn's events are published;
 * until then a redelivery runs the turn again, and every effect in it is idempotent (see
 * RuleActionsRunner). Guards only ever loosen with time (cooldowns, the loop window and pauses
 * run out), so the repeated turn decides to send at least what the first one sent, under the same
 * idempotency keys: nothing goes out twice.
 */
@Injectable()
export class InboundAutomationService {
  private readonly logger: Logger;
  private readonly confirmations: { optOut: string; optIn: string };

  constructor(
    private readonly contacts: ContactsService,
    private readonly optOut: OptOutPolicy,
    private readonly rules: RulesService,
    private readonly bots: FaqBotsService,
    private readonly actions: RuleActionsRunner,
    private readonly faq: FaqAnswerService,
    private readonly replies: AutomationReplyService,
    private readonly handoffs: ChatHandoffService,
    private readonly guards: ChatGuardPolicy,
    private readonly states: ChatStateStore,
    private readonly events: AutomationEventsProducer,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'InboundAutomationService' });
    this.confirmations = {
      optOut: config.automation.optOutConfirmation.trim(),
      optIn: config.automation.optInConfirmation.trim(),
    };
  }

  async onInbound(event: TypedEvent<'message.received'>): Promise<void> {
    const data = event.data;
    if (data.fromMe || !event.connectionId || isBroadcast(data.chatId)) return;
    const scope = scopeOf(event.accountId);
    const chat = { connectionId: event.connectionId, chatId: data.chatId };
    const isGroup = data.chatId.endsWith('@g.us');
    // Side by side (one round trip less): recording the contact sets the facts of this message
    // (its time, its push name), so doing it again for an event the state shows as applied, after
    // a redelivery, writes what the first handling wrote.
    const [loaded, contact] = await Promise.all([
      this.states.get(scope, chat),
      isGroup ? null : this.contactOf(scope, event),
    ]);
    if (loaded && this.guards.handled(loaded, event.id)) return;

    const now = this.clock.now();
    const state = loaded ? structuredClone(loaded) : this.guards.newState(scope, chat, now);
    const turn: AutomationTurn = {
      scope,
      event,
      connectionId: event.connectionId,
      chatId: data.chatId,
      isGroup,
      contact,
      contactKey: contact?.id ?? data.author ?? data.from,
      text: data.body ?? '',
      now,
      state,
      events: [],
      deferred: [],
    };

    await this.run(turn);
    for (const work of turn.deferred) await work();
    this.guards.markHandled(state, event.id, now);
    await this.events.publish(scope, { ...chat, cause: event }, turn.events);
    await this.states.save(state, !loaded);
  }

  private async run(turn: AutomationTurn): Promise<void> {
    const firstMessage = this.guards.noteInbound(turn.state, turn.now);
    if (turn.contact) {
      const intent = turn.text ? this.optOut.classify(turn.text) : null;
      if (intent) return this.keyword(turn, turn.contact, intent);
      if (turn.contact.optOut.optedOut) return;
    }
    if (!this.handoffs.active(turn)) return;

    const facts: InboundFacts = {
      connectionId: turn.connectionId,
      text: turn.text,
      messageType: turn.event.data.type,
      chatType: turn.isGroup ? 'group' : 'direct',
      contactTags: turn.contact?.tags ?? [],
      firstMessage,
    };
    const rules = await this.rules.activeRules(turn.scope, turn.connectionId);
    const { matched } = evaluateRules(rules, facts, arrivedAt(turn));
    for (const rule of matched) {
      await this.actions.run(turn, rule);
      // A hand-off silences the chat for the rest of this message too.
      if (this.guards.pauseStatus(turn.state, turn.now) === 'paused') return;
    }
    if (matched.length || turn.isGroup) return;

    const fallback = (await this.bots.botsServing(turn.scope, turn.connectionId)).find(
      (b) => b.mode === 'fallback',
    );
    if (fallback) await this.faq.answer(turn, fallback);
  }

  /** STOP (and the like) opts out, START opts back in; either way automation says nothing else. */
  private async keyword(
    turn: AutomationTurn,
    contact: ContactView,
    intent: 'opt_out' | 'opt_in',
  ): Promise<void> {
    const optedOut = intent === 'opt_out';
    const word = turn.text.trim().slice(0, 32);
    const wasOptedOut = contact.optOut.optedOut;
    if (wasOptedOut !== optedOut) {
      turn.contact = await this.contacts.setOptOut(turn.scope, contact.id, {
        optedOut,
        reason: `keyword ${word}`,
        source: 'keyword',
        at: turn.now,
      });
      turn.events.push(
        pending(optedOut ? 'contact.opted_out' : 'contact.opted_in', {
          contactId: contact.id,
          phone: contact.phone,
          reason: `keyword ${word}`,
          source: 'keyword',
          triggerEventId: turn.event.id,
        }),
      );
      this.logger.info({ accountId: turn.scope.accountId, contactId: contact.id, intent }, 'opt-out keyword');
    }
    // START from someone never opted out is no request to confirm; STOP is confirmed every time
    // (the one automated message an opted-out contact gets, and only in answer to the keyword).
    const text = optedOut ? this.confirmations.optOut : wasOptedOut ? this.confirmations.optIn : '';
    if (!text) return;
    await this.replies.send(turn, { text }, { source: 'opt_out' }, `optout:${turn.event.id}`);
  }

  private async contactOf(
    scope: AccountScope,
    event: TypedEvent<'message.received'>,
  ): Promise<ContactView | null> {
    const phone = PHONE_CHAT.exec(event.data.chatId)?.[1];
    if (!phone) return null;
    return this.contacts.recordInbound(scope, {
      phone,
      connectionId: event.connectionId!,
      at: new Date(event.data.timestamp),
    });
  }
}

/**
 * When the message arrived (WhatsApp's timestamp, never later than now): business hours are
 * judged at that time, not when a worker got to it, so a backlog after an outage or a
 * redelivery after a crash decides exactly as the first handling did.
 */
function arrivedAt(turn: AutomationTurn): Date {
  const at = Date.parse(turn.event.data.timestamp);
  return Number.isFinite(at) && at < turn.now.getTime() ? new Date(at) : turn.now;
}
