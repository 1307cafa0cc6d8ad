import { Injectable } from '@nestjs/common';
import { FaqBotsService, FaqBotView } from '@wwb/faq-bots';
import { AutomationTurn, pending } from './automation-turn.model';
import { AutomationReplyService } from './automation-reply.service';
import { ChatGuardPolicy } from './chat-guard.policy';
import { ChatHandoffService } from './chat-handoff.service';

export interface FaqAsk {
  /** The rule whose askFaq action asks; absent for a bot answering what no rule matched. */
  ruleId?: string;
  /** That action's index in the rule (part of the reply's idempotency key). */
  actionIndex?: number;
}

/**
 * A FAQ bot's turn: ask it, answer with the best entry when it matched, else send its fallback
 * answer and count the miss; after `handoffAfterMisses` misses in a row (in this chat) the chat is
 * handed off to a human. Misses in a row live in the chat state, so a redelivered event does not
 * count twice; outcomes also go to the bot's report (FaqBotsService.record: insert-only, nothing
 * is read back on this path).
 */
@Injectable()
export class FaqAnswerService {
  constructor(
    private readonly bots: FaqBotsService,
    private readonly replies: AutomationReplyService,
    private readonly guards: ChatGuardPolicy,
    private readonly handoffs: ChatHandoffService,
  ) {}

  /** Returns whether the chat was handed off. */
  async answer(turn: AutomationTurn, bot: FaqBotView, ask: FaqAsk = {}): Promise<boolean> {
    const question = turn.text.trim();
    const scope = turn.scope;
    const key = `faq:${turn.event.id}:${bot.id}:${ask.ruleId ?? '-'}:${ask.actionIndex ?? 0}`;
    const via = ask.ruleId ? { ruleId: ask.ruleId } : {};
    const origin = { source: 'faq_bot' as const, botId: bot.id, ...via };
    // The message's own time: the bot's report records an outcome once per message, retries included.
    const outcome = { question, chatId: turn.chatId, at: new Date(turn.event.data.timestamp) };
    const result = question ? await this.bots.ask(scope, bot.id, question) : null;

    if (result?.matched && result.best) {
      const best = result.best;
      this.guards.resetFaqMisses(turn.state, bot.id);
      // Both idempotent (the reply's key, the outcome's id): side by side, one round trip less.
      await Promise.all([
        this.replies.send(turn, { text: best.answer.text, templateId: best.answer.templateId }, origin, key),
        this.bots.record(scope, bot.id, { kind: 'answered', ...outcome }),
      ]);
      turn.events.push(
        pending('faq.answered', {
          botId: bot.id,
          entryId: best.entryId,
          score: best.score,
          question,
          chatId: turn.chatId,
          triggerEventId: turn.event.id,
          ...via,
        }),
      );
      return false;
    }

    const missesInRow = this.guards.faqMissed(turn.state, bot.id);
    const recorded = this.bots.record(scope, bot.id, { kind: 'missed', ...outcome });
    const near = result?.best;
    turn.events.push(
      pending('faq.missed', {
        botId: bot.id,
        ...(near ? { entryId: near.entryId, score: near.score } : {}),
        question,
        chatId: turn.chatId,
        triggerEventId: turn.event.id,
        missesInRow,
        ...via,
      }),
    );
    if (bot.fallbackAnswer) {
      await Promise.all([this.replies.send(turn, { text: bot.fallbackAnswer }, origin, key), recorded]);
    } else await recorded;
    if (bot.handoffAfterMisses <= 0 || missesInRow < bot.handoffAfterMisses) return false;
    this.guards.resetFaqMisses(turn.state, bot.id);
    this.handoffs.start(turn, { reason: 'faq_misses', botId: bot.id, ...via });
    await this.bots.record(scope, bot.id, { kind: 'handoff', ...outcome });
    return true;
  }
}
