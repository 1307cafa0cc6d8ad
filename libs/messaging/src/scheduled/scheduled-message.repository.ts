import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce, PagePosition } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import {
  SCHEDULED_MESSAGE_ACTION_MODEL,
  SCHEDULED_MESSAGE_MODEL,
  ScheduledAction,
  ScheduledMessageActionRecord,
  ScheduledMessageRecord,
} from './scheduled-message.schema';

/** The outcome of claiming a version: won, or the action another caller recorded first. */
export type ActionClaim = { won: true } | { won: false; recorded: ScheduledAction | null };

/**
 * Scheduled messages and the action claims that serialize their changes. Every account-facing
 * read is scoped by account and connection; the runner's reads (due, by id) are not, as it works
 * for every account.
 */
@Injectable()
export class ScheduledMessageRepository {
  constructor(
    @InjectModel(SCHEDULED_MESSAGE_MODEL) private readonly messages: Model<ScheduledMessageRecord>,
    @InjectModel(SCHEDULED_MESSAGE_ACTION_MODEL)
    private readonly actions: Model<ScheduledMessageActionRecord>,
  ) {}

  async ready(): Promise<void> {
    await Promise.all([this.messages.init(), this.actions.init()]);
  }

  async insert(record: ScheduledMessageRecord): Promise<void> {
    await this.messages.collection.insertOne(record as never);
  }

  find(scope: AccountScope, connectionId: string, id: string): Promise<ScheduledMessageRecord | null> {
    return this.messages
      .findOne({ _id: id, accountId: scope.accountId, connectionId })
      .lean<ScheduledMessageRecord>()
      .exec();
  }

  /** The runner, which knows only the id. */
  findById(id: string): Promise<ScheduledMessageRecord | null> {
    return this.messages.findOne({ _id: id }).lean<ScheduledMessageRecord>().exec();
  }

  /** A connection's scheduled messages by sendAt (then id), after `after`, at most `limit`. */
  list(
    scope: AccountScope,
    connectionId: string,
    after: PagePosition | undefined,
    limit: number,
  ): Promise<ScheduledMessageRecord[]> {
    const filter: Record<string, unknown> = { accountId: scope.accountId, connectionId };
    if (after) {
      filter.$or = [{ sendAt: { $gt: after.at } }, { sendAt: after.at, _id: { $gt: after.id } }];
    }
    return this.messages
      .find(filter)
      .sort({ sendAt: 1, _id: 1 })
      .limit(limit)
      .lean<ScheduledMessageRecord[]>()
      .exec();
  }

  /** Waiting messages whose dueAt has come, soonest first. */
  due(now: Date, limit: number): Promise<ScheduledMessageRecord[]> {
    return this.messages
      .find({ state: 'scheduled', dueAt: { $lte: now } })
      .sort({ dueAt: 1 })
      .limit(limit)
      .lean<ScheduledMessageRecord[]>()
      .exec();
  }

  /** Which of `ids` still have a scheduled message (the quota healer). */
  async existing(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.messages
      .find({ _id: { $in: ids } }, { _id: 1 })
      .lean<Pick<ScheduledMessageRecord, '_id'>[]>()
      .exec();
    return new Set(rows.map((r) => r._id));
  }

  /**
   * Records `action` on version `version` of message `id`; the first caller wins. A loser learns
   * what was recorded (null if the claim vanished meanwhile: the message was purged).
   */
  async claim(id: string, version: number, action: ScheduledAction, at: Date): Promise<ActionClaim> {
    const _id = `${id}/v${version}`;
    if (await insertOnce(this.actions, { _id, messageId: id, action, at })) return { won: true };
    const recorded = await this.actions.findOne({ _id }).lean<ScheduledMessageActionRecord>().exec();
    return { won: false, recorded: recorded?.action ?? null };
  }

  /** Writes the next version. Only the winner of the current version's claim calls it. */
  async replace(record: ScheduledMessageRecord): Promise<void> {
    await this.messages.replaceOne({ _id: record._id }, record).exec();
  }

  /** Removes a message and its claims (sent, cancelled, or a failure past its retention). */
  async remove(id: string): Promise<void> {
    await this.messages.deleteOne({ _id: id }).exec();
    await this.actions.deleteMany({ messageId: id }).exec();
  }

  /** Failed messages last changed before `before` (kept that long for GET, then purged). */
  failedBefore(before: Date, limit: number): Promise<ScheduledMessageRecord[]> {
    return this.messages
      .find({ state: 'failed', updatedAt: { $lt: before } })
      .limit(limit)
      .lean<ScheduledMessageRecord[]>()
      .exec();
  }
}
