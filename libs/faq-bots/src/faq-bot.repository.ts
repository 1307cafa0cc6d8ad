import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { Model } from 'mongoose';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import {
  FAQ_BOT_MODEL,
  FAQ_ENTRY_MODEL,
  FAQ_REVISION_MODEL,
  FaqBotRecord,
  FaqEntryRecord,
  FaqRevisionRecord,
} from './faq-bot.schema';

export type FaqBotSettings = Omit<FaqBotRecord, '_id' | 'accountId' | 'createdAt'>;

export const entryDocId = (botId: string, entryId: string): string => `${botId}:${entryId}`;

const newRevision = (): string => `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;

/** `_id` of the revision of an account's bot settings (bot revisions are keyed by bot id). */
export const accountRevisionId = (accountId: string): string => `${accountId}/bots`;

/** Bots, their entries and the revision of their entries; every query scoped to the account. */
@Injectable()
export class FaqBotRepository {
  constructor(
    @InjectModel(FAQ_BOT_MODEL) private readonly bots: Model<FaqBotRecord>,
    @InjectModel(FAQ_ENTRY_MODEL) private readonly entries: Model<FaqEntryRecord>,
    @InjectModel(FAQ_REVISION_MODEL) private readonly revisions: Model<FaqRevisionRecord>,
  ) {}

  /** By `_id` alone (FerretDB 1.24 checks it in SQLite, other filters in Go); another account's is null. */
  async get(scope: AccountScope, id: string): Promise<FaqBotRecord | null> {
    const bot = await this.bots.findOne({ _id: id }).lean<FaqBotRecord>().exec();
    return bot && bot.accountId === scope.accountId ? bot : null;
  }

  async list(scope: AccountScope, opts: { afterId?: string; limit: number }): Promise<FaqBotRecord[]> {
    const filter: Record<string, unknown> = { accountId: scope.accountId };
    if (opts.afterId) filter._id = { $gt: opts.afterId };
    return this.bots.find(filter).sort({ _id: 1 }).limit(opts.limit).lean<FaqBotRecord[]>().exec();
  }

  async enabled(scope: AccountScope): Promise<FaqBotRecord[]> {
    return this.bots
      .find({ accountId: scope.accountId, enabled: true })
      .sort({ _id: 1 })
      .lean<FaqBotRecord[]>()
      .exec();
  }

  /** The bot becomes visible last, once its entries and revision exist. */
  async insert(bot: FaqBotRecord, entries: FaqEntryRecord[]): Promise<void> {
    await this.revisions.create({ _id: bot._id, accountId: bot.accountId, revision: newRevision() });
    if (entries.length) await this.entries.insertMany(entries, { ordered: true });
    await this.bots.create(bot);
    await this.bumpAccountRevision({ accountId: bot.accountId });
  }

  /** Replaces the settings whole (one writer: the API request that changes the bot). */
  async replaceSettings(scope: AccountScope, id: string, settings: FaqBotSettings): Promise<boolean> {
    const res = await this.bots.updateOne({ _id: id, accountId: scope.accountId }, { $set: settings }).exec();
    if (res.matchedCount > 0) await this.bumpAccountRevision(scope);
    return res.matchedCount > 0;
  }

  async delete(scope: AccountScope, id: string): Promise<boolean> {
    const res = await this.bots.deleteOne({ _id: id, accountId: scope.accountId }).exec();
    await this.entries.deleteMany({ accountId: scope.accountId, botId: id }).exec();
    await this.revisions.deleteOne({ _id: id, accountId: scope.accountId }).exec();
    if (res.deletedCount > 0) await this.bumpAccountRevision(scope);
    return res.deletedCount > 0;
  }

  /** The revision of the account's bot settings; null until a bot was first written. */
  async accountRevision(scope: AccountScope): Promise<string | null> {
    return this.revision(scope, accountRevisionId(scope.accountId));
  }

  /**
   * Marks a change of the account's bot settings, after it was written. An upsert: two first
   * writers race for the insert, the loser (duplicate key) sets it again.
   */
  async bumpAccountRevision(scope: AccountScope): Promise<void> {
    const write = () =>
      this.revisions
        .updateOne(
          { _id: accountRevisionId(scope.accountId), accountId: scope.accountId },
          { $set: { revision: newRevision() } },
          { upsert: true },
        )
        .exec();
    try {
      await write();
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await write();
    }
  }

  async revision(scope: AccountScope, id: string): Promise<string | null> {
    const doc = await this.revisions.findOne({ _id: id }).lean<FaqRevisionRecord>().exec();
    return doc && doc.accountId === scope.accountId ? doc.revision : null;
  }

  /** Marks a change of the entries or the language, after it was written. */
  async bumpRevision(scope: AccountScope, id: string): Promise<void> {
    await this.revisions
      .updateOne({ _id: id, accountId: scope.accountId }, { $set: { revision: newRevision() } })
      .exec();
  }

  async entriesOf(scope: AccountScope, botId: string): Promise<FaqEntryRecord[]> {
    return this.entries
      .find({ accountId: scope.accountId, botId })
      .sort({ position: 1, _id: 1 })
      .lean<FaqEntryRecord[]>()
      .exec();
  }

  async entry(scope: AccountScope, botId: string, entryId: string): Promise<FaqEntryRecord | null> {
    return this.entries
      .findOne({ _id: entryDocId(botId, entryId), accountId: scope.accountId })
      .lean<FaqEntryRecord>()
      .exec();
  }

  async countEntries(scope: AccountScope, botId: string): Promise<number> {
    return this.entries.countDocuments({ accountId: scope.accountId, botId }).exec();
  }

  /** Number of entries per bot, for a page of bots. */
  async entryCounts(scope: AccountScope, botIds: string[]): Promise<Map<string, number>> {
    if (!botIds.length) return new Map();
    const rows = await this.entries
      .aggregate<{ _id: string; n: number }>([
        { $match: { accountId: scope.accountId, botId: { $in: botIds } } },
        { $group: { _id: '$botId', n: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  async lastPosition(scope: AccountScope, botId: string): Promise<number> {
    const last = await this.entries
      .findOne({ accountId: scope.accountId, botId })
      .sort({ position: -1 })
      .lean<FaqEntryRecord>()
      .exec();
    return last?.position ?? -1;
  }

  /** Template ids named by the bot's answers. */
  async templateIdsOf(scope: AccountScope, botId: string): Promise<string[]> {
    const rows = await this.entries
      .find({ accountId: scope.accountId, botId, 'answer.templateId': { $exists: true } }, { answer: 1 })
      .lean<Pick<FaqEntryRecord, 'answer'>[]>()
      .exec();
    return [...new Set(rows.map((r) => r.answer.templateId).filter((t): t is string => !!t))];
  }

  async insertEntry(entry: FaqEntryRecord): Promise<void> {
    await this.entries.create(entry);
  }

  async replaceEntry(scope: AccountScope, entry: FaqEntryRecord): Promise<boolean> {
    const res = await this.entries.replaceOne({ _id: entry._id, accountId: scope.accountId }, entry).exec();
    return res.matchedCount > 0;
  }

  async deleteEntry(scope: AccountScope, botId: string, entryId: string): Promise<boolean> {
    const res = await this.entries
      .deleteOne({ _id: entryDocId(botId, entryId), accountId: scope.accountId })
      .exec();
    return res.deletedCount > 0;
  }

  /**
   * Makes `entries` the bot's list: each written whole (upsert), then the others deleted. A reader
   * in between may see a mix; it caches it under the old revision, which changes right after.
   */
  async replaceEntries(scope: AccountScope, botId: string, entries: FaqEntryRecord[]): Promise<void> {
    if (entries.length) {
      await this.entries.bulkWrite(
        entries.map((e) => ({
          replaceOne: { filter: { _id: e._id, accountId: scope.accountId }, replacement: e, upsert: true },
        })),
        { ordered: false },
      );
    }
    await this.entries
      .deleteMany({ accountId: scope.accountId, botId, _id: { $nin: entries.map((e) => e._id) } })
      .exec();
  }
}
