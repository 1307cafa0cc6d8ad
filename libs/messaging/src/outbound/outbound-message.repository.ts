import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import {
  CoalescingQueue,
  insertOnce,
  isDuplicateKey,
  QuotaSlotRepository,
  SlotPicker,
} from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import type { MessageStatus } from './message-status.rank';
import {
  MESSAGE_REQUEUE_MODEL,
  MESSAGE_STATUS_MODEL,
  MessageRequeueRecord,
  MessageStatusRecord,
  OUTBOUND_MESSAGE_MODEL,
  OutboundMessageRecord,
} from './outbound-message.schema';

export interface NewStatus {
  messageId: string;
  accountId: string;
  status: MessageStatus;
  at: Date;
  waMessageId?: string;
  reason?: { code: string; message: string };
}

/**
 * Messages accepted by the API, their status records and the sweeper's re-publish bookkeeping.
 * Inserts of new messages are coalesced into one unordered insertMany per round trip.
 */
@Injectable()
export class OutboundMessageRepository {
  private readonly inserts: CoalescingQueue<OutboundMessageRecord>;

  constructor(
    @InjectModel(OUTBOUND_MESSAGE_MODEL) private readonly messages: Model<OutboundMessageRecord>,
    @InjectModel(MESSAGE_STATUS_MODEL) private readonly statuses: Model<MessageStatusRecord>,
    @InjectModel(MESSAGE_REQUEUE_MODEL) private readonly requeues: Model<MessageRequeueRecord>,
    private readonly slots: QuotaSlotRepository,
    private readonly picker: SlotPicker,
  ) {
    this.inserts = new CoalescingQueue((docs) => this.insertMany(docs));
  }

  /** Waits for the indexes (when MONGO_AUTO_INDEX is on). */
  async ready(): Promise<void> {
    await Promise.all([this.messages.init(), this.statuses.init(), this.requeues.init()]);
  }

  /** Resolves once the message is stored (its own write error, if any, rejects it alone). */
  insert(message: OutboundMessageRecord): Promise<void> {
    return this.inserts.add(message);
  }

  /**
   * Stores a pending message holding a pendingMessages slot of its account, in the same write:
   * false (nothing stored) when the account holds `limit` pending messages already. `null`: the
   * message is counted but never refused. SlotPicker probes: one insert while the account is well
   * under its limit.
   *
   * A probe that collides is not read back: FerretDB's duplicate-key error does not name the
   * index, and a read by `_id` scans the whole collection there (1.24 evaluates its `_id` filter
   * per row: 16 ms at 20,000 messages), which under load starved SQLite's checkpoints until the
   * WAL grew without bound. An `_id` that exists already makes every probe collide; that case
   * (never expected: ids are fresh, a repeated request is an Idempotency-Key replay) is told
   * apart by one read once the picker gives up, and stays an error, not a refusal.
   */
  async insertHolding(
    message: Omit<OutboundMessageRecord, 'heldSlot'>,
    limit: number | null,
  ): Promise<boolean> {
    const { accountId } = message;
    if (limit === null) {
      await this.insert({ ...message, heldSlot: `${accountId}/h-${message._id}` });
      return true;
    }
    let collision: unknown;
    const slot = await this.picker.pick(pendingKey(accountId), limit, {
      tryTake: async (candidate) => {
        try {
          await this.inserts.add({ ...message, heldSlot: `${accountId}/${candidate}` });
          return true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          collision = err;
          return false;
        }
      },
      held: () => this.heldSlots(accountId),
    });
    if (slot !== null) return true;
    if (collision !== undefined && (await this.findById(message._id))) {
      // Not a full account: the probes collided on `_id`.
      this.picker.forget(pendingKey(accountId));
      throw collision;
    }
    return false;
  }

  /** True while this process remembers the account at its limit (a send may refuse early). */
  atLimit(accountId: string): boolean {
    return this.picker.isFull(pendingKey(accountId));
  }

  /** Pending messages holding a slot, per account (usage; MongoDB reads `held_slot`, FerretDB scans). */
  async countHeld(accountIds: string[]): Promise<Map<string, number>> {
    const rows = await this.messages
      .aggregate<{ _id: string; n: number }>([
        { $match: { accountId: { $in: accountIds }, heldSlot: { $exists: true } } },
        { $group: { _id: '$accountId', n: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  /**
   * The numbered slots (`n<i>`) the account's pending messages hold, in one batch: in default
   * batches, tens of thousands came back from FerretDB in 17 to 29 getMores. One batch saves the
   * round trips, not the scan (20,000 held: 0.69 s in one batch, 0.76 s in default ones).
   */
  private async heldSlots(accountId: string): Promise<string[]> {
    const prefix = `${accountId}/n`;
    const rows = await this.messages
      .find({ heldSlot: { $gte: prefix, $lt: `${accountId}/o` } }, { _id: 0, heldSlot: 1 })
      .batchSize(HELD_READ_BATCH)
      .lean<Pick<OutboundMessageRecord, 'heldSlot'>[]>();
    return rows.map((r) => r.heldSlot!.slice(accountId.length + 1));
  }

  private async insertMany(docs: OutboundMessageRecord[]): Promise<(unknown | undefined)[]> {
    const collection = this.messages.collection as unknown as mongo.Collection<OutboundMessageRecord>;
    try {
      await collection.insertMany(docs, { ordered: false });
      return docs.map(() => undefined);
    } catch (err) {
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : undefined;
      if (!list) throw err;
      const out: (unknown | undefined)[] = docs.map(() => undefined);
      for (const w of list as { index: number; errmsg?: string; code?: number }[]) {
        out[w.index] = Object.assign(new Error(w.errmsg ?? 'insert failed'), { code: w.code });
      }
      return out;
    }
  }

  async find(scope: AccountScope, connectionId: string, id: string): Promise<OutboundMessageRecord | null> {
    return this.messages
      .findOne({ _id: id, accountId: scope.accountId, connectionId })
      .lean<OutboundMessageRecord>();
  }

  /** Any account: for the gateway, which only knows the message id from a command. */
  async findById(id: string): Promise<OutboundMessageRecord | null> {
    return this.messages.findOne({ _id: id }).lean<OutboundMessageRecord>();
  }

  /**
   * The gateway settled the send: the sweeper stops re-publishing the message, and its held slot
   * is given back in the same update. A message stored before held slots gives back its
   * quota_slots slot (also when an earlier settle stopped before that).
   */
  async settle(id: string): Promise<void> {
    const before = await this.messages
      .findOneAndUpdate({ _id: id, pending: true }, { $set: { pending: false }, $unset: { heldSlot: 1 } })
      .lean<OutboundMessageRecord>();
    if (before?.heldSlot) this.picker.forget(pendingKey(before.accountId));
    const message = before ?? (await this.findById(id));
    if (message?.pendingSlot) await this.slots.release(message.pendingSlot, id);
  }

  /** Of these message ids, those still pending (the pending-slot healer; `_id` lookups on MongoDB). */
  async stillPending(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.messages
      .find({ _id: { $in: ids }, pending: true }, { _id: 1 })
      .lean<Pick<OutboundMessageRecord, '_id'>[]>();
    return new Set(rows.map((r) => r._id));
  }

  /** Retention: which of these uploads a pending (not yet sent) message still has to send. */
  async pendingMediaUploads(uploadIds: string[]): Promise<Set<string>> {
    if (uploadIds.length === 0) return new Set();
    const rows = await this.messages
      .find({ pending: true, 'content.media.uploadId': { $in: uploadIds } }, { 'content.media.uploadId': 1 })
      .lean<{ content: { media?: { uploadId?: string } } }[]>();
    return new Set(rows.map((r) => r.content.media?.uploadId).filter((id): id is string => !!id));
  }

  /** Pending messages accepted before `before`, oldest first. */
  async findPending(before: Date, limit: number): Promise<OutboundMessageRecord[]> {
    return this.messages
      .find({ pending: true, createdAt: { $lt: before } })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<OutboundMessageRecord[]>();
  }

  /** Those of `ids` still pending, oldest first. */
  async pendingAmong(ids: string[]): Promise<OutboundMessageRecord[]> {
    if (ids.length === 0) return [];
    return this.messages
      .find({ _id: { $in: ids }, pending: true })
      .sort({ createdAt: 1, _id: 1 })
      .lean<OutboundMessageRecord[]>();
  }

  /** Records a status once; false when that status was already recorded (the first one wins). */
  async recordStatus(s: NewStatus, recordedAt: Date): Promise<boolean> {
    const record: MessageStatusRecord = {
      _id: `${s.messageId}/${s.status}`,
      messageId: s.messageId,
      accountId: s.accountId,
      status: s.status,
      at: s.at,
      recordedAt,
      ...(s.waMessageId ? { waMessageId: s.waMessageId } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
    };
    return insertOnce(this.statuses, record);
  }

  async statusesOf(messageId: string): Promise<MessageStatusRecord[]> {
    return this.statuses.find({ messageId }).lean<MessageStatusRecord[]>();
  }

  /** The statuses of many messages (reports), by message id. */
  async statusesOfMany(messageIds: string[]): Promise<Map<string, MessageStatusRecord[]>> {
    const out = new Map<string, MessageStatusRecord[]>();
    if (messageIds.length === 0) return out;
    const rows = await this.statuses.find({ messageId: { $in: messageIds } }).lean<MessageStatusRecord[]>();
    for (const r of rows) out.set(r.messageId, [...(out.get(r.messageId) ?? []), r]);
    return out;
  }

  /** Which of `ids` were stored (accepted) as messages of the account. */
  async storedAmong(accountId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.messages
      .find({ _id: { $in: ids }, accountId }, { _id: 1 })
      .lean<Pick<OutboundMessageRecord, '_id'>[]>();
    return new Set(rows.map((r) => r._id));
  }

  async requeueInfo(ids: string[]): Promise<Map<string, MessageRequeueRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.requeues.find({ _id: { $in: ids } }).lean<MessageRequeueRecord[]>();
    return new Map(rows.map((r) => [r._id, r]));
  }

  async noteRequeued(id: string, count: number, at: Date): Promise<void> {
    await this.requeues.updateOne({ _id: id }, { $set: { count, lastAt: at } }, { upsert: true });
  }

  async forgetRequeue(id: string): Promise<void> {
    await this.requeues.deleteOne({ _id: id });
  }
}

/** Held slots read in one batch (about 40 bytes each: 4 MB at most). */
const HELD_READ_BATCH = 100_000;

/** The key SlotPicker remembers a full account under (the same as quota_slots' pendingMessages). */
const pendingKey = (accountId: string): string => `${accountId}/pendingMessages`;
