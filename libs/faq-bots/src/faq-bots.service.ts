import { Injectable } from '@nestjs/common';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError } from '@wwb/runtime';
import { FAQ_OUTCOME_KINDS, FaqBotRecord, FaqOutcomeKind } from './faq-bot.schema';
import { FaqAnswer, FaqBotView, toBotView, toEntryData } from './faq-bot.mapper';
import { FaqReach, withinReach } from './faq-bot.policy';
import { FaqBotRepository } from './faq-bot.repository';
import { FaqIndexStore } from './faq-index.store';
import { FaqServingStore, ServedBot } from './faq-serving.store';
import { MISSES_LOOKBACK, missesInRow, outcomeId, utcDay } from './faq-misses.policy';
import { FaqOutcomeRepository, Window } from './faq-outcome.repository';
import { FaqTokenizer } from './faq-tokenizer.policy';

export const FAQ_BOT_ID_PATTERN = /^faq_[0-9A-HJKMNP-TV-Z]{26}$/;
export const faqBotNotFound = (): DomainError => DomainError.notFound('FAQ bot');

const DAY_MS = 86_400_000;
export const DEFAULT_REPORT_DAYS = 30;
export const MAX_REPORT_DAYS = 92;
const MAX_QUESTION = 1000;

export interface FaqOutcome {
  kind: FaqOutcomeKind;
  /** The customer's message. */
  question: string;
  chatId: string;
  /** When the message arrived (its time, not now: a redelivered event then records nothing twice). */
  at: Date;
}

export interface FaqReport {
  botId: string;
  from: string;
  to: string;
  totals: Record<FaqOutcomeKind, number>;
  /** Every UTC day of the window, oldest first. */
  days: ({ day: string } & Record<FaqOutcomeKind, number>)[];
  /** Missed questions grouped by their normalised text, most frequent first. */
  unanswered: { key: string; count: number; lastSeenAt: string; sample: string }[];
}

/**
 * What the automation consumer (and the ask/report endpoints) use: the bots serving a connection,
 * asking a bot, and recording how it went.
 */
@Injectable()
export class FaqBotsService {
  constructor(
    private readonly bots: FaqBotRepository,
    private readonly outcomes: FaqOutcomeRepository,
    private readonly indexes: FaqIndexStore,
    private readonly serving: FaqServingStore,
    private readonly clock: Clock,
  ) {}

  /** One bot's settings (404 not_found, also for another account's bot). */
  async get(scope: AccountScope, botId: string, reach?: FaqReach): Promise<FaqBotView> {
    return toBotView(await this.getRecord(scope, botId, reach));
  }

  /**
   * The enabled bots of the account that serve `connectionId` (in creation order). Asked on
   * every inbound message: read through FaqServingStore (a change is seen within about a second).
   */
  async botsServing(scope: AccountScope, connectionId: string): Promise<FaqBotView[]> {
    const bots = await this.serving.enabled(scope);
    return bots
      .filter((b) => !b.connectionIds.length || b.connectionIds.includes(connectionId))
      .map(toBotView);
  }

  /** The ranked entries for `text`; nothing is sent or recorded. */
  async ask(scope: AccountScope, botId: string, text: string, reach?: FaqReach): Promise<FaqAnswer> {
    const { bot, revision } = await this.served(scope, botId, reach);
    const matcher = await this.indexes.matcher(bot._id, `${revision ?? ''}/${bot.language}`, async () => ({
      language: bot.language,
      entries: (await this.bots.entriesOf(scope, bot._id)).map(toEntryData),
    }));
    const candidates = matcher.match(text);
    const best = candidates[0] ?? null;
    return { matched: !!best && best.score >= bot.threshold, best, candidates };
  }

  /**
   * Records an answer, a miss or a hand-off (see `record`) and returns the misses in a row of
   * this chat with this bot, read back from the outcomes: an answer or a hand-off resets it.
   */
  async recordOutcome(
    scope: AccountScope,
    botId: string,
    outcome: FaqOutcome,
  ): Promise<{ missesInRow: number }> {
    await this.record(scope, botId, outcome);
    const latest = await this.outcomes.latestInChat(scope, botId, outcome.chatId, MISSES_LOOKBACK);
    return { missesInRow: missesInRow(latest) };
  }

  /**
   * Records an answer, a miss or a hand-off for the bot's report: one insert-only row, idempotent
   * for the same message. The automation pipeline uses this one (it counts misses in a row in its
   * chat state, so it needs no read back); it handles one chat's messages in order, so a chat has
   * one writer.
   */
  async record(scope: AccountScope, botId: string, outcome: FaqOutcome): Promise<void> {
    if (!(FAQ_OUTCOME_KINDS as readonly string[]).includes(outcome.kind)) {
      throw DomainError.invalid('invalid_outcome', `kind is one of ${FAQ_OUTCOME_KINDS.join(', ')}`);
    }
    const { bot } = await this.served(scope, botId);
    const question = outcome.question.slice(0, MAX_QUESTION);
    await this.outcomes.insertOnce({
      _id: outcomeId(bot._id, outcome.chatId, outcome.kind, outcome.at, question),
      accountId: scope.accountId,
      botId: bot._id,
      chatId: outcome.chatId,
      kind: outcome.kind,
      question,
      normalized: new FaqTokenizer(bot.language).groupKey(question),
      day: utcDay(outcome.at),
      at: outcome.at,
      recordedAt: this.clock.now(),
    });
  }

  /** Answers, misses and hand-offs per UTC day, and the unanswered questions grouped. */
  async report(
    scope: AccountScope,
    botId: string,
    query: { from?: Date; to?: Date; limit?: number },
    reach?: FaqReach,
  ): Promise<FaqReport> {
    const bot = await this.getRecord(scope, botId, reach);
    const window = this.windowOf(query);
    const [counts, groups] = await Promise.all([
      this.outcomes.countsByDay(scope, bot._id, window),
      this.outcomes.missGroups(scope, bot._id, window, query.limit ?? 50),
    ]);
    const totals = { answered: 0, missed: 0, handoff: 0 };
    const days = new Map<string, { day: string } & Record<FaqOutcomeKind, number>>();
    for (let t = Date.parse(utcDay(window.from)); t < window.to.getTime(); t += DAY_MS) {
      const day = utcDay(new Date(t));
      days.set(day, { day, answered: 0, missed: 0, handoff: 0 });
    }
    for (const { day, kind, count } of counts) {
      totals[kind] += count;
      const row = days.get(day);
      if (row) row[kind] += count;
    }
    const unanswered = await Promise.all(
      groups.map(async ({ key, count }) => {
        const last = await this.outcomes.latestMiss(scope, bot._id, key, window);
        return {
          key,
          count,
          lastSeenAt: (last?.at ?? window.to).toISOString(),
          sample: last?.question ?? key,
        };
      }),
    );
    return {
      botId: bot._id,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      totals,
      days: [...days.values()],
      unanswered,
    };
  }

  /**
   * The bot of the account, or 404: also for another account's bot, and for a bot outside the
   * caller's reach (a restricted key; see withinReach).
   */
  async getRecord(scope: AccountScope, botId: string, reach?: FaqReach): Promise<FaqBotRecord> {
    if (!FAQ_BOT_ID_PATTERN.test(botId)) throw faqBotNotFound();
    const bot = await this.bots.get(scope, botId);
    if (!bot || !withinReach(bot.connectionIds, reach)) throw faqBotNotFound();
    return bot;
  }

  /** The bot for asking and recording, through FaqServingStore (read at most once a second). */
  private async served(scope: AccountScope, botId: string, reach?: FaqReach): Promise<ServedBot> {
    if (!FAQ_BOT_ID_PATTERN.test(botId)) throw faqBotNotFound();
    const served = await this.serving.bot(scope, botId);
    if (!served || !withinReach(served.bot.connectionIds, reach)) throw faqBotNotFound();
    return served;
  }

  private windowOf(query: { from?: Date; to?: Date }): Window {
    const to = query.to ?? this.clock.now();
    const from = query.from ?? new Date(to.getTime() - DEFAULT_REPORT_DAYS * DAY_MS);
    if (from.getTime() >= to.getTime() || to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS) {
      throw DomainError.invalid(
        'invalid_report_window',
        `from must be before to, at most ${MAX_REPORT_DAYS} days apart`,
        { from: from.toISOString(), to: to.toISOString() },
      );
    }
    return { from, to };
  }
}
