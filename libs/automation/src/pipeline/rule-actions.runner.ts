import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ContactsService } from '@wwb/contacts';
import { FaqBotsService } from '@wwb/faq-bots';
import { AppLogger } from '@wwb/observability';
import { DomainError } from '@wwb/runtime';
import { retryLater } from './automation-turn.model';
import type { Action, ActionType, CompiledRule } from '../rules';
import { AutomationReplyService, ReplyOutcome } from './automation-reply.service';
import { AutomationTurn, pending } from './automation-turn.model';
import { ChatGuardPolicy } from './chat-guard.policy';
import { ChatHandoffService } from './chat-handoff.service';
import { FaqAnswerService } from './faq-answer.service';
import { HttpActionClient } from './http-action.client';

/**
 * Runs the actions of a rule that matched, in order, unless the rule is cooling down for this
 * contact. Every effect is safe to repeat when the inbound event is handled again after a crash:
 * replies carry the idempotency key `auto:<eventId>:<ruleId>:<actionIndex>`, tags are sets, HTTP
 * calls are claimed once per (event, rule, action) and run after the turn's replies, and the
 * hand-off is a state change saved with the event marked handled. A failing action is published
 * as `automation.action.failed` and the next one runs.
 */
@Injectable()
export class RuleActionsRunner {
  private readonly logger: Logger;

  constructor(
    private readonly contacts: ContactsService,
    private readonly bots: FaqBotsService,
    private readonly replies: AutomationReplyService,
    private readonly faq: FaqAnswerService,
    private readonly http: HttpActionClient,
    private readonly handoffs: ChatHandoffService,
    private readonly guards: ChatGuardPolicy,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'RuleActionsRunner' });
  }

  /** Returns whether the rule fired (false: cooling down for this contact). */
  async run(turn: AutomationTurn, rule: CompiledRule): Promise<boolean> {
    if (this.guards.inCooldown(turn.state, rule.id, turn.contactKey, rule.cooldownSeconds, turn.now)) {
      this.logger.debug({ ruleId: rule.id, chatId: turn.chatId }, 'rule cooling down for this contact');
      return false;
    }
    this.guards.noteFiring(turn.state, rule.id, turn.contactKey, turn.now);
    turn.events.push(
      pending('automation.rule.matched', {
        ruleId: rule.id,
        ruleName: rule.name,
        triggerEventId: turn.event.id,
        chatId: turn.chatId,
        contactId: turn.contact?.id ?? null,
      }),
    );
    for (const [index, action] of rule.actions.entries()) {
      try {
        await this.runAction(turn, rule, action, index);
      } catch (err) {
        if (!(err instanceof DomainError) || retryLater(err)) throw err;
        this.failed(turn, rule.id, action.type, err.code, err.message);
      }
    }
    return true;
  }

  private async runAction(
    turn: AutomationTurn,
    rule: CompiledRule,
    action: Action,
    index: number,
  ): Promise<void> {
    switch (action.type) {
      case 'reply': {
        const outcome = await this.replies.send(
          turn,
          action,
          { source: 'auto_reply', ruleId: rule.id },
          `auto:${turn.event.id}:${rule.id}:${index}`,
        );
        this.reportReply(turn, rule.id, 'reply', outcome);
        return;
      }
      case 'tag': {
        // Group members have no contact (none is created for them by default): nothing to tag.
        if (!turn.contact) return;
        if (action.add?.length)
          turn.contact = await this.contacts.addTags(turn.scope, turn.contact.id, action.add);
        if (action.remove?.length) {
          turn.contact = await this.contacts.removeTags(turn.scope, turn.contact.id, action.remove);
        }
        return;
      }
      case 'http':
        turn.deferred.push(() => this.http.call(turn, rule, action, index));
        return;
      case 'handoff':
        this.handoffs.start(turn, { reason: 'rule', minutes: action.minutes, ruleId: rule.id });
        return;
      case 'askFaq': {
        const bot = await this.bots.get(turn.scope, action.botId);
        await this.faq.answer(turn, bot, { ruleId: rule.id, actionIndex: index });
        return;
      }
    }
  }

  private reportReply(turn: AutomationTurn, ruleId: string, action: ActionType, outcome: ReplyOutcome): void {
    if (outcome.sent || outcome.reason !== 'failed') return;
    this.failed(turn, ruleId, action, outcome.code ?? 'send_failed', outcome.message ?? 'not sent');
  }

  private failed(
    turn: AutomationTurn,
    ruleId: string,
    action: ActionType,
    code: string,
    message: string,
  ): void {
    this.logger.warn(
      { ruleId, action, code, chatId: turn.chatId, eventId: turn.event.id },
      'rule action failed',
    );
    turn.events.push(
      pending('automation.action.failed', {
        ruleId,
        action,
        code,
        message,
        triggerEventId: turn.event.id,
        chatId: turn.chatId,
      }),
    );
  }
}
