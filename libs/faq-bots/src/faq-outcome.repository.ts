import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { FAQ_OUTCOME_MODEL, FaqOutcomeKind, FaqOutcomeRecord } from './faq-bot.schema';

export interface Window {
  from: Date;
  to: Date;
}

/** Outcome rows of the FAQ bots: insert-only, aggregated when a report is read. */
@Injectable()
export class FaqOutcomeRepository {
  constructor(@InjectModel(FAQ_OUTCOME_MODEL) private readonly outcomes: Model<FaqOutcomeRecord>) {}

  /** False when the same outcome was recorded before (a redelivered event). */
  async insertOnce(row: FaqOutcomeRecord): Promise<boolean> {
    try {
      await this.outcomes.create(row);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** The newest outcomes of one chat with one bot. */
  async latestInChat(
    scope: AccountScope,
    botId: string,
    chatId: string,
    limit: number,
  ): Promise<Pick<FaqOutcomeRecord, 'kind' | 'at' | 'recordedAt'>[]> {
    return this.outcomes
      .find({ accountId: scope.accountId, botId, chatId }, { kind: 1, at: 1, recordedAt: 1 })
      .sort({ at: -1, recordedAt: -1 })
      .limit(limit)
      .lean<Pick<FaqOutcomeRecord, 'kind' | 'at' | 'recordedAt'>[]>()
      .exec();
  }

  async countsByDay(
    scope: AccountScope,
    botId: string,
    window: Window,
  ): Promise<{ day: string; kind: FaqOutcomeKind; count: number }[]> {
    const rows = await this.outcomes
      .aggregate<{ _id: { day: string; kind: FaqOutcomeKind }; n: number }>([
        { $match: { accountId: scope.accountId, botId, at: { $gte: window.from, $lt: window.to } } },
        { $group: { _id: { day: '$day', kind: '$kind' }, n: { $sum: 1 } } },
      ])
      .exec();
    return rows.map((r) => ({ day: r._id.day, kind: r._id.kind, count: r.n }));
  }

  /** Missed questions grouped by their key, most frequent first. */
  async missGroups(
    scope: AccountScope,
    botId: string,
    window: Window,
    limit: number,
  ): Promise<{ key: string; count: number }[]> {
    const rows = await this.outcomes
      .aggregate<{ _id: string; n: number }>([
        {
          $match: {
            accountId: scope.accountId,
            botId,
            kind: 'missed',
            at: { $gte: window.from, $lt: window.to },
          },
        },
        { $group: { _id: '$normalized', n: { $sum: 1 } } },
        { $sort: { n: -1, _id: 1 } },
        { $limit: limit },
      ])
      .exec();
    return rows.map((r) => ({ key: r._id, count: r.n }));
  }

  /**
   * The newest miss of one group (its time and a sample). A query per group, because FerretDB's
   * $group has no $max or $first.
   */
  async latestMiss(
    scope: AccountScope,
    botId: string,
    key: string,
    window: Window,
  ): Promise<Pick<FaqOutcomeRecord, 'question' | 'at'> | null> {
    return this.outcomes
      .findOne(
        {
          accountId: scope.accountId,
          botId,
          kind: 'missed',
          normalized: key,
          at: { $gte: window.from, $lt: window.to },
        },
        { question: 1, at: 1 },
      )
      .sort({ at: -1 })
      .lean<Pick<FaqOutcomeRecord, 'question' | 'at'>>()
      .exec();
  }

  async deleteForBot(scope: AccountScope, botId: string): Promise<void> {
    await this.outcomes.deleteMany({ accountId: scope.accountId, botId }).exec();
  }
}
